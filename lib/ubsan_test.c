/*
 * ktests for UBSAN (Linux: lib/test_ubsan.c), only in the SANITIZE=1 build.
 * Each test does one undefined operation inside sanitizer_expect_begin()/
 * end() and checks that exactly one report came, naming this file and
 * giving Linux's detail line; a UBSAN that missed it fails the test. The
 * operands are volatile so that the compiler cannot fold the operation
 * away at build time.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/sanitizer.h>
#include <lib/string.h>

#ifdef CONFIG_UBSAN

#define UBSAN_EXPECT(reason, detail, stmt) do { \
	u64 _seq = READ_ONCE(log_next_seq); \
	sanitizer_expect_begin(); \
	stmt; \
	unsigned long _n = sanitizer_expect_end(); \
	KT_ASSERT_MSG(_n == 1, "%lu reports for `%s`, expected 1", _n, #stmt); \
	KT_ASSERT_MSG(ktest_log_count(_seq, "UBSAN: " reason " in lib/ubsan_test.c:") == 1, \
		      "no 'UBSAN: %s in lib/ubsan_test.c:N:N' line", reason); \
	KT_ASSERT_MSG(ktest_log_count(_seq, detail "\n") == 1, "no line '%s'", detail); \
} while (0)

static volatile int v_zero = 0, v_one = 1, v_minus_one = -1, v_40 = 40, v_five = 5;
static volatile int v_int_max = INT_MAX, v_int_min = -INT_MAX - 1;
static volatile long v_long_max = LONG_MAX;
static volatile unsigned int v_u_zero;
static volatile int sink;

KTEST(ubsan_shift_too_far)
{
	UBSAN_EXPECT("shift-out-of-bounds", "shift exponent 40 is too large for 32-bit type 'int'",
		     sink = v_one << v_40);
}

KTEST(ubsan_shift_negative_exponent)
{
	UBSAN_EXPECT("shift-out-of-bounds", "negative shift exponent -1", sink = v_one << v_minus_one);
}

KTEST(ubsan_shift_negative_value)
{
	UBSAN_EXPECT("shift-out-of-bounds", "left shift of negative value -1", sink = v_minus_one << v_five);
}

KTEST(ubsan_array_index)
{
	int array[4] = { 0 };

	UBSAN_EXPECT("array-index-out-of-bounds", "index 5 is out of range for type 'int [4]'",
		     sink = array[v_five]);
}

KTEST(ubsan_signed_add_overflow)
{
	UBSAN_EXPECT("signed-integer-overflow", "2147483647 + 1 cannot be represented in type 'int'",
		     sink = v_int_max + v_one);
}

KTEST(ubsan_signed_sub_overflow)
{
	UBSAN_EXPECT("signed-integer-overflow", "-2147483648 - 1 cannot be represented in type 'int'",
		     sink = v_int_min - v_one);
}

KTEST(ubsan_signed_mul_overflow)
{
	volatile long r;

	/* GCC widens 5 to long and passes the operands the other way round. */
	UBSAN_EXPECT("signed-integer-overflow",
		     "5 * 9223372036854775807 cannot be represented in type 'long int'",
		     r = v_long_max * v_five);
	(void)r;
}

KTEST(ubsan_negate_overflow)
{
	UBSAN_EXPECT("negation-overflow", "negation of -2147483648 cannot be represented in type 'int':",
		     sink = -v_int_min);
}

KTEST(ubsan_invalid_bool)
{
	volatile u8 raw = 2;
	bool *b = (bool *)&raw;

	UBSAN_EXPECT("invalid-load", "load of value 2 is not a valid value for type '_Bool'", sink = *b);
}

KTEST(ubsan_builtin_ctz_zero)
{
	UBSAN_EXPECT("invalid-builtin-use", "passing zero to ctz(), which is not a valid argument",
		     sink = __builtin_ctz(v_u_zero));
}

KTEST(ubsan_vla_bound)
{
	UBSAN_EXPECT("variable-length-array", "variable length array bound evaluates to non-positive value 0",
		     { char vla[v_zero]; sink = sizeof(vla); });
}

static int shift_here(int by)
{
	return v_one << by;
}

/* Like Linux, each source location is reported (and counted) once. */
KTEST(ubsan_reported_once_per_place)
{
	UBSAN_EXPECT("shift-out-of-bounds", "shift exponent 33 is too large for 32-bit type 'int'",
		     sink = shift_here(33));
	sanitizer_expect_begin();
	sink = shift_here(34);
	KT_ASSERT_EQ(sanitizer_expect_end(), 0);
}

/* Operations that are defined must not be reported. */
KTEST(ubsan_defined_operations)
{
	unsigned int u = UINT_MAX;
	int array[4] = { 1, 2, 3, 4 };

	sanitizer_expect_begin();
	sink = v_one << 30;
	sink = (int)(u + v_one);		/* unsigned arithmetic wraps by definition */
	sink = array[v_five - 2];
	sink = v_int_max - v_one;
	sink = __builtin_ctz(v_40);
	KT_ASSERT_EQ(sanitizer_expect_end(), 0);
}

#endif
