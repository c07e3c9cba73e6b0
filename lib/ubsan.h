/*
 * The UBSAN runtime's entry points (lib/ubsan.c). Only the code GCC emits
 * under -fsanitize=undefined calls them; they are declared here so that the
 * definitions have prototypes, as every function shared between units has.
 */
#ifndef _LIB_UBSAN_H
#define _LIB_UBSAN_H

#include <kernel/compiler.h>

void __ubsan_handle_add_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_sub_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_mul_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_negate_overflow(void *data, void *old);
void __ubsan_handle_divrem_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_shift_out_of_bounds(void *data, void *lhs, void *rhs);
void __ubsan_handle_out_of_bounds(void *data, void *index);
void __ubsan_handle_load_invalid_value(void *data, void *val);
void __ubsan_handle_vla_bound_not_positive(void *data, void *bound);
void __ubsan_handle_invalid_builtin(void *data);
void __ubsan_handle_type_mismatch_v1(void *data, void *ptr);
__noreturn void __ubsan_handle_builtin_unreachable(void *data);

#endif
