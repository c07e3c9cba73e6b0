; Folio's first instructions.
;
; A bootloader enters _start32 in 32-bit protected mode with paging off:
; GRUB through the multiboot2 header (the default, from the ISO), or QEMU's
; -kernel through the multiboot (version 1) header. EAX holds the protocol's
; magic and EBX the physical address of its information structure; both go
; to C untouched, which tells the two apart.
;
; Here we check that the CPU can run 64-bit code, build early page tables,
; switch to long mode and jump to the kernel proper, which is linked at
; __START_KERNEL_map (-2 GiB). The early tables map the first 4 GiB three
; times: identity (so the next instruction after enabling paging still
; exists), at the direct map PAGE_OFFSET (so __va() works from the first C
; line), and the first 2 GiB at -2 GiB (the kernel image). paging_init()
; replaces them with the final tables.
;
; This section is linked at its physical address (boot/kernel.ld).

MB2_MAGIC     equ 0xe85250d6
MB2_ARCH_I386 equ 0
MB1_MAGIC     equ 0x1badb002
MB1_FLAGS     equ (1 << 0) | (1 << 1) | (1 << 16) ; page-aligned modules, memory map, address fields

KERNEL_VMA    equ 0xffffffff80000000
COM1          equ 0x3f8

extern _load_end_phys, _bss_end_phys, high_entry

section .multiboot progbits alloc noexec nowrite align=8
align 8
mb1_header:                         ; QEMU -kernel reads this (must be in the first 8 KiB)
	dd MB1_MAGIC
	dd MB1_FLAGS
	dd -(MB1_MAGIC + MB1_FLAGS)
	dd mb1_header                   ; header_addr
	dd mb1_header                   ; load_addr: the flat image starts with this section
	dd _load_end_phys               ; load_end_addr
	dd _bss_end_phys                ; bss_end_addr
	dd _start32                     ; entry_addr

align 8
mb2_header:                         ; GRUB reads this (must be in the first 32 KiB)
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
align 8
	dw 3, 0                         ; entry address tag: start at _start32 (the ELF entry is too)
	dd 12
	dd _start32
align 8
	dw 0, 0                         ; end tag
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start32
_start32:
	cli
	cld
	mov esp, early_stack_top
	mov [boot_magic], eax
	mov [boot_info_phys], ebx

	; CPUID exists if EFLAGS.ID can be toggled.
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	xor eax, ecx
	jz no_long_mode
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29               ; LM
	jz no_long_mode

	; 2048 2 MiB pages cover the first 4 GiB, in four page directories.
	mov edi, early_pd
	mov eax, 0x83                   ; present, writable, large page
	mov ecx, 2048
.fill_pd:
	mov [edi], eax
	mov dword [edi + 4], 0
	add eax, 0x200000
	add edi, 8
	loop .fill_pd

	mov eax, early_pd + 3
	mov [early_pdpt_low], eax
	add eax, 4096
	mov [early_pdpt_low + 8], eax
	add eax, 4096
	mov [early_pdpt_low + 16], eax
	add eax, 4096
	mov [early_pdpt_low + 24], eax
	mov dword [early_pdpt_high + 510 * 8], early_pd + 3          ; -2 GiB -> 0
	mov dword [early_pdpt_high + 511 * 8], early_pd + 4096 + 3   ; -1 GiB -> 1 GiB
	mov dword [early_pml4], early_pdpt_low + 3                   ; identity
	mov dword [early_pml4 + 273 * 8], early_pdpt_low + 3         ; PAGE_OFFSET
	mov dword [early_pml4 + 511 * 8], early_pdpt_high + 3        ; kernel image

	mov eax, early_pml4
	mov cr3, eax
	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov ecx, 0xc0000080             ; EFER
	rdmsr
	or eax, 1 << 8                  ; LME
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1 ; PG, WP, PE
	mov cr0, eax
	lgdt [early_gdt_ptr]
	jmp 0x08:long_mode_entry

; No 64-bit CPU: say so on the serial port and the VGA screen, then stop.
no_long_mode:
	mov dx, COM1 + 3
	mov al, 0x03                    ; 8N1 (the firmware set the baud rate)
	out dx, al
	mov esi, no_lm_msg
	mov edi, 0xb8000
.next:
	lodsb
	test al, al
	jz .stop
	mov ah, 0x4f                    ; white on red
	mov [edi], ax
	add edi, 2
	mov bl, al
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	mov al, bl
	out dx, al
	jmp .next
.stop:
	hlt
	jmp .stop

bits 64
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, high_entry
	jmp rax

section .boot.data progbits alloc noexec write align=4096
align 4096
early_pml4:      times 4096 db 0
early_pdpt_low:  times 4096 db 0
early_pdpt_high: times 4096 db 0
early_pd:        times 4 * 4096 db 0
early_stack:     times 1024 db 0
early_stack_top:
global boot_magic, boot_info_phys
boot_magic:      dd 0
boot_info_phys:  dd 0
align 8
early_gdt:
	dq 0
	dq 0x00af9a000000ffff           ; 0x08: 64-bit code
	dq 0x00cf92000000ffff           ; 0x10: data
early_gdt_ptr:
	dw early_gdt_ptr - early_gdt - 1
	dd early_gdt
no_lm_msg:
	db "Folio: this CPU has no long mode (x86-64); Folio cannot boot on it.", 13, 10, 0
