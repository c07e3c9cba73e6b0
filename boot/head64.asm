; The first 64-bit code at the kernel's link address (-2 GiB), reached from
; boot/head.asm once long mode is on. It lives in its own file because
; head.asm is linked at physical addresses: one file spanning both would give
; gdb a debug-info unit it cannot map ("pc ... in read in CU, but not in symtab").

bits 64
%include "arch/unwind.inc"
section .text

extern x86_64_start_kernel, boot_stack_top, boot_magic, boot_info_phys

global high_entry
high_entry:
	mov rsp, [rel boot_stack_top]
	xor ebp, ebp                    ; ends the backtrace
	mov edi, [abs boot_magic]
	mov esi, [abs boot_info_phys]
	call x86_64_start_kernel
.hang:
	cli
	hlt
	jmp .hang
	OUTERMOST_FRAME high_entry      ; the boot stack's first frame: gdb's bt ends here
