; Switching kernel stacks between tasks (Linux: arch/x86/entry/entry_64.S
; __switch_to_asm and ret_from_fork).
;
; struct task_struct *__switch_to_asm(unsigned long *prev_sp, unsigned long *next_sp,
;                                     struct task_struct *prev)
; saves the callee-saved registers on prev's stack, stores its stack pointer,
; loads next's and pops next's registers. The call then "returns" in next's
; context, in next's own earlier call to __switch_to_asm, with prev (carried
; across in %rdx, a register the switch does not touch) as the result.
;
; The saved frame is [r15 r14 r13 r12 rbx rbp ret]: rbp sits right below the
; return address, like an ordinary frame, so a sleeping task's backtrace can
; start at saved_sp + 40 (see sched_show_task()).

bits 64
%include "arch/unwind.inc"
section .text

extern schedule_tail, do_exit, current_has_user_context, ret_to_user
PT_REGS_SIZE equ 22 * 8            ; sizeof(struct pt_regs), checked in syscall.c

global __switch_to_asm
__switch_to_asm:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, [rsi]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	mov rax, rdx
	ret

; A new task's first "return" from __switch_to_asm lands here (copy_thread()
; built its stack so): finish the switch, then either return to user mode (a
; forked child: rbx is 0) or run fn(arg) from rbx/r12. A kernel thread that
; returns 0 after exec'ing a user program (pid 1 becoming /init) goes to user
; mode too, as in Linux; otherwise it exits with fn's value.
global ret_from_fork_asm
ret_from_fork_asm:
	mov rdi, rax
	call schedule_tail
	test rbx, rbx
	jz .to_user                     ; a forked user task: no kernel function to run
	mov rdi, r12
	call rbx
	test eax, eax
	jz .check_user
.exit:
	mov edi, eax
	call do_exit
	ud2
.check_user:
	call current_has_user_context
	test al, al
	jz .exit_zero
.to_user:
	mov rsp, [gs:8]                 ; PCPU_KERNEL_STACK_TOP: pt_regs sits right below it
	sub rsp, PT_REGS_SIZE
	jmp ret_to_user
.exit_zero:
	xor edi, edi
	call do_exit
	ud2
	OUTERMOST_FRAME ret_from_fork_asm       ; a new task's first frame: gdb's bt ends here
