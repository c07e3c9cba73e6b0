/*
 * The 16550 UART on COM1, Folio's console.
 *
 * Output is polled: printk must work before interrupts exist and from a
 * panic, so it waits for the transmit holding register to empty. Input is
 * interrupt-driven: IRQ 4 (through the IOAPIC) hands each received byte to
 * the console terminal's line discipline (tty_receive_char(), fs/tty.c) once
 * the console is first opened (serial_attach_tty()). What arrives before
 * (typed or piped ahead, while the kernel boots) is kept, not dropped: on
 * Linux it waits in the UART and in QEMU until the port starts on its first
 * open. Folio reads it into early_rx[] instead, so that a BREAK keeps working
 * for SysRq, and hands it to the terminal at the first open, in order; if
 * early_rx[] fills up, receive interrupts stop and the rest waits in the
 * UART and QEMU, as on Linux. A BREAK followed by a key is Linux's magic
 * SysRq (kernel/sysrq.c) either way.
 * Locking: rx_lock (taken with interrupts off) guards early_rx[] and the
 * switch to the terminal, so held bytes and new ones reach it in order.
 * IRQ 4 is delivered to one handler at a time, which alone reads the
 * receive side; printk's output is serialised by the console lock in
 * kernel/printk.c, the terminal's by tty->lock in fs/tty.c.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/sysrq.h>
#include <arch/irqflags.h>
#include <arch/io.h>
#include <arch/serial.h>
#include <arch/irq.h>
#include <fs/fs.h>

#define COM1 0x3f8
#define UART_RX 0	/* receive buffer (DLAB=0) */
#define UART_TX 0
#define UART_DLL 0	/* divisor latch (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_DR 0x01	/* data ready */
#define UART_LSR_BI 0x10	/* break interrupt */
#define UART_LSR_THRE 0x20
#define UART_IER_RDI 0x01	/* interrupt on received data */
#define UART_IER_RLSI 0x04	/* interrupt on line status (BREAK) */
#define UART_MCR_OUT2 0x08	/* gates the IRQ line on PCs */

unsigned long serial_rx_count;
static bool rx_to_tty;		/* set once, at the console's first open (serial_attach_tty()) */
static DEFINE_SPINLOCK(rx_lock);
#define EARLY_RX_SIZE 4096	/* as much as the terminal's input ring holds */
static char early_rx[EARLY_RX_SIZE];
static unsigned int early_rx_len;

/*
 * The FIFOs are left as the firmware left them (off after a reset): switching
 * them on or off empties the receive side, and bytes typed or piped ahead may
 * be waiting there already. Without them the UART holds one byte and the
 * other end (QEMU's character device) waits until it is read, so nothing is
 * lost either way.
 */
void serial_early_init(void)
{
	outb(0x00, COM1 + UART_IER);
	outb(0x80, COM1 + UART_LCR);	/* DLAB: set the divisor */
	outb(0x01, COM1 + UART_DLL);	/* 115200 baud */
	outb(0x00, COM1 + UART_DLM);
	outb(0x03, COM1 + UART_LCR);	/* 8N1 */
	outb(0x03, COM1 + UART_MCR);	/* DTR, RTS */
}

/*
 * Reading LSR clears its break bit, so a BREAK that arrives while we poll for
 * THRE would be lost: keep it for the interrupt handler (Linux:
 * lsr_saved_flags in the 8250 driver).
 */
static volatile u8 lsr_saved_flags;

void serial_putc(char c)
{
	u8 lsr;

	while (!((lsr = inb(COM1 + UART_LSR)) & UART_LSR_THRE)) {
		lsr_saved_flags |= lsr & UART_LSR_BI;
		cpu_relax();
	}
	lsr_saved_flags |= lsr & UART_LSR_BI;
	outb((u8)c, COM1 + UART_TX);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* The console's first open: what was held goes to the terminal, then everything does. */
void serial_attach_tty(void)
{
	unsigned long flags;

	spin_lock_irqsave(&rx_lock, flags);
	if (!rx_to_tty) {
		for (unsigned int i = 0; i < early_rx_len; i++)
			tty_receive_char(early_rx[i]);
		early_rx_len = 0;
		WRITE_ONCE(rx_to_tty, true);
		outb(UART_IER_RDI | UART_IER_RLSI, COM1 + UART_IER);	/* in case early_rx[] filled up */
	}
	spin_unlock_irqrestore(&rx_lock, flags);
}

/* Linux's serial SysRq: a BREAK arms it, the next byte is the command. */
static bool sysrq_armed;

static void serial_interrupt(unsigned int irq, void *data)
{
	(void)irq; (void)data;
	spin_lock(&rx_lock);
	for (;;) {
		u8 lsr = inb(COM1 + UART_LSR) | lsr_saved_flags;
		lsr_saved_flags = 0;
		if (lsr & UART_LSR_BI) {
			if (inb(COM1 + UART_LSR) & UART_LSR_DR)
				inb(COM1 + UART_RX);	/* the NUL that comes with a break */
			sysrq_armed = true;
			continue;
		}
		if (!(lsr & UART_LSR_DR))
			break;
		if (!rx_to_tty && early_rx_len == EARLY_RX_SIZE && !sysrq_armed) {
			outb(UART_IER_RLSI, COM1 + UART_IER);	/* full: the rest waits in the UART */
			break;
		}
		char c = (char)inb(COM1 + UART_RX);
		serial_rx_count++;
		if (sysrq_armed) {
			sysrq_armed = false;
			handle_sysrq(c);
			continue;
		}
		if (rx_to_tty)
			tty_receive_char(c);
		else
			early_rx[early_rx_len++] = c;
	}
	spin_unlock(&rx_lock);
}

/* What arrived before the handler existed is in the FIFO still: the first interrupt takes it. */
void serial_irq_init(void)
{
	request_irq(4, serial_interrupt, "ttyS0", NULL);
	outb(UART_MCR_OUT2 | 0x03, COM1 + UART_MCR);
	outb(UART_IER_RDI | UART_IER_RLSI, COM1 + UART_IER);
}
