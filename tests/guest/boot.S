/* Multiboot (v1) entry, a flat GDT, and the interrupt entry stubs of the
 * vmplay test guest. Everything else is in guest.c. */

	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0
	.set MB_CHECKSUM, -(MB_MAGIC + MB_FLAGS)

	/* The loader looks for this in the first 8 KiB of the file: the
	 * linker script puts it first in .text. */
	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long MB_CHECKSUM

	.section .bss
	.align 16
stack_bottom:
	.skip 32768
stack_top:

	.section .text
	.global _start
_start:
	cli
	mov $stack_top, %esp
	/* The loader's magic and information (the command line) for
	 * guest_main, before %eax is reused below. */
	push %ebx
	push %eax
	/* Multiboot leaves GDTR undefined, and interrupts reload CS from
	 * the GDT: install our own flat one before enabling them. */
	lgdt gdt_desc
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	call guest_main
2:	cli
	hlt
	jmp 2b

	/* Entry stubs: every vector pushes an error code (0 when the CPU
	 * does not) and its number, so isr_common sees one frame layout. */
	.macro ISR_NOERR n
isr\n:
	push $0
	push $\n
	jmp isr_common
	.endm
	.macro ISR_ERR n
isr\n:
	push $\n
	jmp isr_common
	.endm

	.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	ISR_NOERR \n
	.endr
	.irp n, 8,10,11,12,13,14,17,21,29,30
	ISR_ERR \n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	ISR_NOERR \n
	.endr

isr_common:
	pusha
	cld
	push %esp		/* struct isr_frame * */
	call isr_dispatch
	add $4, %esp
	popa
	add $8, %esp		/* vector number and error code */
	iret

	.section .rodata
	.align 4
	.global isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long isr\n
	.endr

	.section .data
	.align 8
gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF	/* 0x08: code, base 0, 4 GiB, ring 0 */
	.quad 0x00CF92000000FFFF	/* 0x10: data, base 0, 4 GiB, ring 0 */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

	.section .note.GNU-stack, "", @progbits
