/* The COM1 UART: polled output for the console, interrupt-driven input. */
#ifndef _ARCH_SERIAL_H
#define _ARCH_SERIAL_H

#include <kernel/types.h>

void serial_early_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
void serial_irq_init(void);		/* route IRQ 4 and enable receive interrupts */
/* The console's first open: held input, then all received bytes, go to tty_receive_char(). */
void serial_attach_tty(void);
extern unsigned long serial_rx_count;	/* bytes received since boot */

#endif
