/* The COM1 UART: polled output for the console, interrupt-driven input. */
#ifndef _ARCH_SERIAL_H
#define _ARCH_SERIAL_H

#include <kernel/types.h>

void serial_early_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
void serial_irq_init(void);		/* route IRQ 4 and enable receive interrupts */
/* From now on received bytes go to the console terminal, tty_receive_char() (tty_init()). */
void serial_attach_tty(void);
extern unsigned long serial_rx_count;	/* bytes received since boot */

#endif
