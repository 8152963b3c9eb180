/*
 * test_x86_blobs.h (the guest programs of the x86 unit tests as bytes, for
 * hosts without an x86 assembler) must match what the assembler builds from
 * the X86T_BLOB sources. Regenerate it with gen_x86_blobs.sh if this fails.
 */
#include <criterion/criterion.h>

#include "test_x86.h"

#if defined(__x86_64__)
#include "test_x86_blobs.h"

#define X86T_DECL(n) extern const uint8_t n[], n##_end[];
X86T_BLOB_LIST(X86T_DECL)

Test(x86_blobs, generated_bytes_match_the_assembler)
{
#define X86T_CHECK(n)                                                                              \
	cr_assert_eq((size_t)(n##_end - n), sizeof(x86t_bytes_##n), "%s: length", #n);             \
	cr_assert_arr_eq(n, x86t_bytes_##n, sizeof(x86t_bytes_##n), "%s: bytes", #n);
	X86T_BLOB_LIST(X86T_CHECK)
}
#else
Test(x86_blobs, generated_bytes_match_the_assembler)
{
	cr_skip_test("needs the x86-64 host assembler");
}
#endif
