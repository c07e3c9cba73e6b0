#!/bin/sh
# Generate the kernel's built-in symbol table (assembly for the .kallsyms
# section) from `nm -n` output of the previous link pass. With no input it
# writes an empty table, for the first pass. See the Makefile's link rule.
# Only text symbols are listed: backtraces and %pS need nothing else.
LC_ALL=C awk '
BEGIN { n = 0 }
($2 == "T" || $2 == "t" || $2 == "W" || $2 == "w") && $1 ~ /^ffffffff8/ && $3 !~ /^\.L/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "\t.section .kallsyms, \"a\""
	print "\t.balign 8"
	print "\t.globl kallsyms_num_syms, kallsyms_addresses, kallsyms_offsets, kallsyms_names"
	print "kallsyms_num_syms:\n\t.quad " n
	print "kallsyms_addresses:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "kallsyms_offsets:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "kallsyms_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}'
