/*
 * The UBSAN runtime (Linux: lib/ubsan.c). In the SANITIZE=1 build GCC's
 * -fsanitize=shift,bounds,... adds a check before each operation whose
 * result C leaves undefined, and calls one of the __ubsan_handle_*() entry
 * points below when the check fails, passing a static description of the
 * place (file, line, column) and of the types involved. Each handler prints
 * Linux's report:
 *
 *   ================================================================================
 *   UBSAN: shift-out-of-bounds in kernel/lkdtm.c:83:20
 *   shift exponent 40 is too large for 32-bit type 'int'
 *   CPU: 0 PID: 1 Comm: init Not tainted ...
 *   Call Trace: ...
 *   ================================================================================
 *
 * and execution goes on (the operation's result is whatever the CPU gives),
 * except after __builtin_unreachable(), which cannot return. Like Linux,
 * each source location is reported once: the handler marks it in the
 * description (bit 31 of the column). This file itself is built without
 * -fsanitize so that a report cannot recurse into itself.
 *
 * Locking: the "reported" bit is set atomically; sanitizer_report_begin()
 * serialises reports and drops one nested in another (lib/sanitizer.c).
 */
#include <kernel/kernel.h>
#include <kernel/sanitizer.h>
#include <arch/irqflags.h>
#include "ubsan.h"

#ifdef CONFIG_UBSAN

/* The structures GCC emits (libsanitizer's ubsan_handlers.h ABI). */
struct source_location {
	const char *file_name;
	u32 line;
	u32 column;		/* bit 31: already reported */
};

struct type_descriptor {
	u16 type_kind;		/* 0: integer, 1: float */
	u16 type_info;		/* integer: bit 0 signed, bits 1..: log2 of the width */
	char type_name[];	/* quoted: "'int'" */
};

struct overflow_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct shift_out_of_bounds_data {
	struct source_location location;
	struct type_descriptor *lhs_type, *rhs_type;
};

struct out_of_bounds_data {
	struct source_location location;
	struct type_descriptor *array_type, *index_type;
};

struct unreachable_data {
	struct source_location location;
};

struct invalid_value_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct vla_bound_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct invalid_builtin_data {
	struct source_location location;
	u8 kind;		/* 0: ctz, 1: clz */
};

struct type_mismatch_data_v1 {
	struct source_location location;
	struct type_descriptor *type;
	u8 log_alignment;
	u8 type_check_kind;
};


#define REPORTED_BIT (1u << 31)
#define TYPE_KIND_INTEGER 0
#define VALUE_LENGTH 40

static const char *const type_check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to", "dynamic operation on",
};

static bool type_is_int(const struct type_descriptor *t) { return t->type_kind == TYPE_KIND_INTEGER; }
static bool type_is_signed(const struct type_descriptor *t) { return type_is_int(t) && (t->type_info & 1); }
static unsigned int type_bit_width(const struct type_descriptor *t) { return 1u << (t->type_info >> 1); }

/* Values up to 64 bits travel in the pointer itself; wider ones (128-bit) are pointed to. */
static bool is_inline_int(const struct type_descriptor *t) { return type_bit_width(t) <= 64; }

static s64 get_signed_val(const struct type_descriptor *t, void *val)
{
	unsigned int extra = 64 - type_bit_width(t);

	return ((s64)(unsigned long)val << extra) >> extra;
}

static u64 get_unsigned_val(const struct type_descriptor *t, void *val)
{
	return (u64)(unsigned long)val;
}

static bool val_is_negative(const struct type_descriptor *t, void *val)
{
	return type_is_signed(t) && is_inline_int(t) && get_signed_val(t, val) < 0;
}

static void val_to_string(char *str, size_t size, const struct type_descriptor *t, void *val)
{
	if (!type_is_int(t)) {
		scnprintf(str, size, "<unknown>");
	} else if (!is_inline_int(t)) {
		const u64 *v = val;	/* little endian: v[1] is the high half */
		scnprintf(str, size, "0x%016llx%016llx", v[1], v[0]);
	} else if (type_is_signed(t)) {
		scnprintf(str, size, "%lld", (long long)get_signed_val(t, val));
	} else {
		scnprintf(str, size, "%llu", (unsigned long long)get_unsigned_val(t, val));
	}
}

/* Whether to report at loc: once per location, never from inside a report. */
static bool ubsan_prologue(struct source_location *loc, const char *reason, unsigned long *flags)
{
	if (READ_ONCE(loc->column) & REPORTED_BIT)
		return false;
	local_irq_save(*flags);
	if (!sanitizer_report_begin(false)) {
		local_irq_restore(*flags);
		return false;
	}
	if (__atomic_fetch_or(&loc->column, REPORTED_BIT, __ATOMIC_RELAXED) & REPORTED_BIT) {
		sanitizer_report_end();		/* another CPU reported this place meanwhile */
		local_irq_restore(*flags);
		return false;
	}
	pr_err("================================================================================\n");
	pr_err("UBSAN: %s in %s:%u:%u\n", reason, loc->file_name, loc->line, loc->column & ~REPORTED_BIT);
	return true;
}

static void ubsan_epilogue(unsigned long flags)
{
	dump_stack();
	pr_err("================================================================================\n");
	sanitizer_report_end();
	local_irq_restore(flags);
}

/*
 * The reports whose detail is one line about one value: fmt (KERN_ERR
 * "...") takes the value as its first %s and type_name as its second.
 */
static void report_value(struct source_location *loc, const char *reason, const char *fmt,
			 const struct type_descriptor *vt, void *val, const char *type_name)
{
	char v[VALUE_LENGTH];
	unsigned long flags;

	if (!ubsan_prologue(loc, reason, &flags))
		return;
	val_to_string(v, sizeof(v), vt, val);
	printk(fmt, v, type_name);
	ubsan_epilogue(flags);
}

static void handle_overflow(struct overflow_data *data, void *lhs, void *rhs, char op)
{
	struct type_descriptor *t = data->type;
	char l[VALUE_LENGTH], r[VALUE_LENGTH];
	unsigned long flags;

	if (!ubsan_prologue(&data->location, type_is_signed(t) ? "signed-integer-overflow"
							   : "unsigned-integer-overflow", &flags))
		return;
	val_to_string(l, sizeof(l), t, lhs);
	val_to_string(r, sizeof(r), t, rhs);
	pr_err("%s %c %s cannot be represented in type %s\n", l, op, r, t->type_name);
	ubsan_epilogue(flags);
}

void __ubsan_handle_add_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow(void *_data, void *old)
{
	struct overflow_data *data = _data;

	report_value(&data->location, "negation-overflow",
		     KERN_ERR "negation of %s cannot be represented in type %s:\n", data->type, old,
		     data->type->type_name);
}

void __ubsan_handle_divrem_overflow(void *_data, void *lhs, void *rhs)
{
	struct overflow_data *data = _data;
	char l[VALUE_LENGTH];
	unsigned long flags;

	if (!ubsan_prologue(&data->location, "division-overflow", &flags))
		return;
	val_to_string(l, sizeof(l), data->type, lhs);
	if (type_is_signed(data->type) && get_signed_val(data->type, rhs) == -1)
		pr_err("division of %s by -1 cannot be represented in type %s\n", l, data->type->type_name);
	else
		pr_err("division by zero\n");
	ubsan_epilogue(flags);
}

void __ubsan_handle_shift_out_of_bounds(void *_data, void *lhs, void *rhs)
{
	struct shift_out_of_bounds_data *data = _data;
	struct type_descriptor *lt = data->lhs_type, *rt = data->rhs_type;
	char l[VALUE_LENGTH], r[VALUE_LENGTH];
	unsigned long flags;

	if (!ubsan_prologue(&data->location, "shift-out-of-bounds", &flags))
		return;
	val_to_string(l, sizeof(l), lt, lhs);
	val_to_string(r, sizeof(r), rt, rhs);
	if (val_is_negative(rt, rhs))
		pr_err("negative shift exponent %s\n", r);
	else if (get_unsigned_val(rt, rhs) >= type_bit_width(lt))
		pr_err("shift exponent %s is too large for %u-bit type %s\n", r, type_bit_width(lt),
		       lt->type_name);
	else if (val_is_negative(lt, lhs))
		pr_err("left shift of negative value %s\n", l);
	else
		pr_err("left shift of %s by %s places cannot be represented in type %s\n", l, r,
		       lt->type_name);
	ubsan_epilogue(flags);
}

void __ubsan_handle_out_of_bounds(void *_data, void *index)
{
	struct out_of_bounds_data *data = _data;

	report_value(&data->location, "array-index-out-of-bounds",
		     KERN_ERR "index %s is out of range for type %s\n", data->index_type, index,
		     data->array_type->type_name);
}

void __ubsan_handle_load_invalid_value(void *_data, void *val)
{
	struct invalid_value_data *data = _data;

	report_value(&data->location, "invalid-load",
		     KERN_ERR "load of value %s is not a valid value for type %s\n", data->type, val,
		     data->type->type_name);
}

void __ubsan_handle_vla_bound_not_positive(void *_data, void *bound)
{
	struct vla_bound_data *data = _data;

	report_value(&data->location, "variable-length-array",
		     KERN_ERR "variable length array bound evaluates to non-positive value %s\n",
		     data->type, bound, NULL);
}

void __ubsan_handle_invalid_builtin(void *_data)
{
	struct invalid_builtin_data *data = _data;
	unsigned long flags;

	if (!ubsan_prologue(&data->location, "invalid-builtin-use", &flags))
		return;
	pr_err("passing zero to %s, which is not a valid argument\n", data->kind ? "clz()" : "ctz()");
	ubsan_epilogue(flags);
}

/* Null, misaligned or too small: only reached if such checks are enabled (they are not by default). */
void __ubsan_handle_type_mismatch_v1(void *_data, void *ptr)
{
	struct type_mismatch_data_v1 *data = _data;
	unsigned long align = 1UL << data->log_alignment, flags;
	const char *kind = data->type_check_kind < ARRAY_SIZE(type_check_kinds)
				   ? type_check_kinds[data->type_check_kind] : "access to";

	if (!ptr) {
		if (!ubsan_prologue(&data->location, "null-ptr-deref", &flags))
			return;
		pr_err("%s null pointer of type %s\n", kind, data->type->type_name);
	} else if (data->log_alignment && ((unsigned long)ptr & (align - 1))) {
		if (!ubsan_prologue(&data->location, "misaligned-access", &flags))
			return;
		pr_err("%s misaligned address %p for type %s\n", kind, ptr, data->type->type_name);
		pr_err("which requires %lu byte alignment\n", align);
	} else {
		if (!ubsan_prologue(&data->location, "object-size-mismatch", &flags))
			return;
		pr_err("%s address %p with insufficient space\n", kind, ptr);
		pr_err("for an object of type %s\n", data->type->type_name);
	}
	ubsan_epilogue(flags);
}

void __ubsan_handle_builtin_unreachable(void *_data)
{
	struct unreachable_data *data = _data;
	unsigned long flags;

	if (ubsan_prologue(&data->location, "unreachable", &flags)) {
		pr_err("calling __builtin_unreachable()\n");
		ubsan_epilogue(flags);
	}
	panic("can't return from __builtin_unreachable()");
}

#endif
