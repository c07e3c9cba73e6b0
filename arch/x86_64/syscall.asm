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

bits 64
section .text

PCPU_KERNEL_STACK_TOP equ 8
PCPU_USER_RSP equ 16
USER_DS equ 0x2b
USER_CS equ 0x33

extern do_syscall_64, ret_from_exception

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
	xor ebp, ebp                    ; the backtrace ends here
	mov rdi, rsp
	call do_syscall_64              ; returns with interrupts off
	test al, al
	jz ret_from_exception           ; the slow, exact way out: iretq
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
