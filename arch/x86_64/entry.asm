; Interrupt and exception entry (Linux: arch/x86/entry/entry_64.S, much simplified).
;
; Every vector has a stub that makes the stack look the same: CPUs push an
; error code for some exceptions only, so the others push a 0, then every
; stub pushes its vector number and jumps to common_entry, which saves the
; general registers as a struct pt_regs (include/arch/ptrace.h) and calls
; x86_dispatch(regs). swapgs runs only when coming from user mode, so %gs
; always points at this CPU's struct pcpu inside the kernel.

bits 64
section .text

extern x86_dispatch

%macro STUB_NOERR 1
vector_%1:
	push 0
	push %1
	jmp common_entry
%endmacro

%macro STUB_ERR 1
vector_%1:
	push %1
	jmp common_entry
%endmacro

; Exceptions 8, 10-14, 17, 21, 29, 30 push an error code.
%assign v 0
%rep 256
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	STUB_ERR v
%else
	STUB_NOERR v
%endif
%assign v v + 1
%endrep

common_entry:
	test byte [rsp + 24], 3         ; CS of the interrupted code: from user mode?
	jz .kernel_entry
	swapgs
.kernel_entry:
	push rdi
	push rsi
	push rdx
	push rcx
	push rax
	push r8
	push r9
	push r10
	push r11
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	call x86_dispatch
global ret_from_exception
ret_from_exception:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	pop r11
	pop r10
	pop r9
	pop r8
	pop rax
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	add rsp, 16                     ; vector and error code
	test byte [rsp + 8], 3
	jz .kernel_exit
	swapgs
.kernel_exit:
	iretq

section .rodata
global vector_stubs
align 8
vector_stubs:
%assign v 0
%rep 256
	dq vector_ %+ v
%assign v v + 1
%endrep
