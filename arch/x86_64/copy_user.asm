; Copying to and from user memory (Linux: arch/x86/lib/copy_user_64.S,
; usercopy_64.c). Every load or store that touches user memory is listed in
; the exception table with EX_TYPE_UACCESS: if it faults and the page-fault
; handler cannot bring the page in, execution resumes at the fixup label,
; which returns how many bytes were not done. The C wrappers in
; arch/x86_64/uaccess.c check the range first (access_ok).

bits 64
section .text

EX_TYPE_UACCESS equ 3

%macro EXTABLE 2
	section __ex_table progbits alloc noexec nowrite align=4
	dd %1 - $
	dd %2 - $
	dd EX_TYPE_UACCESS
	section .text
%endmacro

; unsigned long __copy_user(void *dst, const void *src, unsigned long n): bytes not copied
global __copy_user
__copy_user:
	mov rcx, rdx
.qwords:
	cmp rcx, 8
	jb .bytes
.q_load:
	mov rax, [rsi]
.q_store:
	mov [rdi], rax
	add rsi, 8
	add rdi, 8
	sub rcx, 8
	jmp .qwords
.bytes:
	test rcx, rcx
	jz .done
.b_load:
	mov al, [rsi]
.b_store:
	mov [rdi], al
	inc rsi
	inc rdi
	dec rcx
	jmp .bytes
.done:
	xor eax, eax
	ret
.q_fault:			; a word straddles the bad page: redo it bytewise to stop exactly there
	jmp .bytes
.b_fault:
	mov rax, rcx
	ret
EXTABLE .q_load, .q_fault
EXTABLE .q_store, .q_fault
EXTABLE .b_load, .b_fault
EXTABLE .b_store, .b_fault

; unsigned long __clear_user(void *dst, unsigned long n): bytes not cleared
global __clear_user
__clear_user:
	mov rcx, rsi
.c_loop:
	test rcx, rcx
	jz .c_done
.c_store:
	mov byte [rdi], 0
	inc rdi
	dec rcx
	jmp .c_loop
.c_done:
	xor eax, eax
	ret
.c_fault:
	mov rax, rcx
	ret
EXTABLE .c_store, .c_fault

; long __strncpy_from_user(char *dst, const char *src, long count):
; the length copied (without the NUL) if a NUL was found, count if none was, -14 (-EFAULT) on a fault
global __strncpy_from_user
__strncpy_from_user:
	xor eax, eax
.s_loop:
	cmp rax, rdx
	jae .s_done
.s_load:
	mov cl, [rsi + rax]
	mov [rdi + rax], cl
	test cl, cl
	jz .s_done
	inc rax
	jmp .s_loop
.s_done:
	ret
.s_fault:
	mov rax, -14
	ret
EXTABLE .s_load, .s_fault
