; Interrupt and exception entry (Linux: arch/x86/entry/entry_64.S, much simplified).
;
; Every vector has a stub that makes the stack look the same: CPUs push an
; error code for some exceptions only, so the others push a 0, then every
; stub pushes its vector number and jumps to common_entry, which saves the
; general registers as a struct pt_regs (include/arch/ptrace.h) and calls
; x86_dispatch(regs). swapgs runs only when coming from user mode, so %gs
; always points at this CPU's struct pcpu inside the kernel.

bits 64
%include "arch/unwind.inc"
section .text

extern x86_dispatch

; The general registers, in struct pt_regs order (include/arch/ptrace.h).
%macro PUSH_REGS 0
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
%endmacro

%macro POP_REGS 0
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
%endmacro


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
	PUSH_REGS
	cld
	mov rdi, rsp
	call x86_dispatch
global ret_from_exception
ret_from_exception:
	POP_REGS
	add rsp, 16                     ; vector and error code
	test byte [rsp + 8], 3
	jz .kernel_exit
	swapgs
.kernel_exit:
	iretq

; ----------------------------------------------------------------------------
; The system-call entry (Linux: arch/x86/entry/entry_64.S, entry_SYSCALL_64).
;
; The syscall instruction jumps here in ring 0 with the user's rip in rcx,
; its rflags in r11, interrupts masked (SFMASK) and the *user* stack still
; loaded. We switch to the task's kernel stack, build the same struct
; pt_regs an interrupt would (include/arch/ptrace.h) with the syscall number
; in orig_ax, and call do_syscall_64(). Its result says whether the fast
; sysretq return is safe; if not (a changed rip, rcx/r11 that must be
; restored exactly, as after a signal frame), we leave through iretq like an
; interrupt does.

PCPU_KERNEL_STACK_TOP equ 8
PCPU_USER_RSP equ 16
USER_DS equ 0x2b
USER_CS equ 0x33

extern do_syscall_64

global entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs
	mov [gs:PCPU_USER_RSP], rsp
	mov rsp, [gs:PCPU_KERNEL_STACK_TOP]
	push USER_DS                    ; ss
	push qword [gs:PCPU_USER_RSP]   ; sp
	push r11                        ; flags
	push USER_CS                    ; cs
	push rcx                        ; ip
	push 0                          ; error_code
	push rax                        ; orig_ax: the syscall number
	PUSH_REGS
	xor ebp, ebp                    ; the backtrace ends here
	mov rdi, rsp
	call do_syscall_64              ; returns with interrupts off
	test al, al
	jz ret_from_exception           ; the slow, exact way out: iretq
	POP_REGS
	mov rcx, [rsp + 16]             ; ip (after orig_ax and error_code)
	mov r11, [rsp + 32]             ; flags
	mov rsp, [rsp + 40]             ; the user stack
	swapgs
	o64 sysret

; A new user task's first return to user mode (fork's child, or a kernel
; thread that exec'd): rsp points at its pt_regs; finish the return work.
extern exit_to_user_mode
global ret_to_user
ret_to_user:
	mov rdi, rsp
	call exit_to_user_mode          ; returns with interrupts off
	jmp ret_from_exception
	OUTERMOST_FRAME vector_0        ; all of this file's code is a stack's outermost frame for gdb

section .rodata
global vector_stubs
align 8
vector_stubs:
%assign v 0
%rep 256
	dq vector_ %+ v
%assign v v + 1
%endrep
