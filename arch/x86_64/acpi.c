/*
 * Just enough ACPI to find the interrupt controllers (Linux:
 * arch/x86/kernel/acpi/boot.c): the RSDP (from multiboot2, or found by
 * scanning the BIOS area), then the RSDT/XSDT, then the MADT, which lists the
 * CPUs' local APICs, the IOAPIC and how ISA IRQs map to IOAPIC inputs
 * (QEMU wires the PIT's IRQ 0 to input 2). Every table's checksum is
 * verified; anything missing or bad falls back to the PC defaults with a
 * warning. Runs at boot while the early map covers the first 4 GiB; no lock.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <lib/string.h>
#include <arch/page.h>
#include <arch/irq.h>

struct madt_info madt;

struct acpi_rsdp {
	char signature[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt_address;
	u32 length;
	u64 xsdt_address;
	u8 ext_checksum, reserved[3];
} __packed;

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision, checksum;
	char oem_id[6], oem_table_id[8];
	u32 oem_revision, creator_id, creator_revision;
} __packed;

static bool checksum_ok(const void *p, size_t len)
{
	u8 sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += ((const u8 *)p)[i];
	return sum == 0;
}

static const void *acpi_map(u64 pa, size_t len)
{
	if (!pa || pa + len > (4ULL << 30))
		return NULL;
	return __va(pa);
}

static const struct acpi_rsdp *scan_rsdp(u64 start, u64 len)
{
	for (u64 a = start; a + 20 <= start + len; a += 16) {
		const struct acpi_rsdp *r = acpi_map(a, 20);
		if (r && !memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct acpi_header *find_table(const struct acpi_rsdp *rsdp, const char *sig)
{
	bool x = rsdp->revision >= 2 && rsdp->xsdt_address;
	const struct acpi_header *root = acpi_map(x ? rsdp->xsdt_address : rsdp->rsdt_address, sizeof(*root));

	if (!root || !acpi_map((u64)__pa(root), root->length) || !checksum_ok(root, root->length)) {
		pr_warn("ACPI: bad %s, ignoring ACPI\n", x ? "XSDT" : "RSDT");
		return NULL;
	}
	size_t esize = x ? 8 : 4, n = (root->length - sizeof(*root)) / esize;
	const u8 *entries = (const u8 *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		u64 pa = x ? *(const u64 *)(entries + i * 8) : *(const u32 *)(entries + i * 4);
		const struct acpi_header *h = acpi_map(pa, sizeof(*h));
		if (h && !memcmp(h->signature, sig, 4) && acpi_map(pa, h->length) && checksum_ok(h, h->length))
			return h;
	}
	return NULL;
}

static void parse_madt(const struct acpi_header *h)
{
	const u8 *p = (const u8 *)h + sizeof(*h) + 8, *end = (const u8 *)h + h->length;

	madt.lapic_addr = *(const u32 *)((const u8 *)h + sizeof(*h));
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		switch (p[0]) {
		case 0:		/* processor local APIC */
			if (p[1] >= 8 && (*(const u32 *)(p + 4) & 1))
				madt.nr_cpus++;
			break;
		case 1:		/* IOAPIC: the first one is all Folio uses */
			if (p[1] >= 12 && !madt.ioapic.addr)
				madt.ioapic = (struct ioapic_info){ *(const u32 *)(p + 4), *(const u32 *)(p + 8), p[2] };
			break;
		case 2:		/* interrupt source override */
			if (p[1] >= 10 && madt.nr_overrides < ARRAY_SIZE(madt.overrides))
				madt.overrides[madt.nr_overrides++] =
					(struct irq_override){ p[3], *(const u32 *)(p + 4), *(const u16 *)(p + 8) };
			break;
		case 5:		/* 64-bit local APIC address */
			if (p[1] >= 12)
				madt.lapic_addr = *(const u64 *)(p + 4);
			break;
		}
		p += p[1];
	}
	madt.found = true;
}

void acpi_boot_init(void)
{
	const struct acpi_rsdp *rsdp = boot_info.rsdp_copy;

	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) || !checksum_ok(rsdp, 20)) {
		const u16 *ebda_seg = acpi_map(0x40e, 2);
		rsdp = NULL;
		if (ebda_seg && *ebda_seg)
			rsdp = scan_rsdp((u64)*ebda_seg << 4, 1024);
		if (!rsdp)
			rsdp = scan_rsdp(0xe0000, 0x20000);
	}
	const struct acpi_header *h = rsdp ? find_table(rsdp, "APIC") : NULL;
	if (h) {
		pr_info("ACPI: RSDP (v%02u %.6s), MADT at %#llx\n", rsdp->revision, rsdp->oem_id,
			(u64)__pa(h));
		parse_madt(h);
	}
	if (!madt.found || !madt.ioapic.addr) {
		pr_warn("ACPI: no usable MADT, assuming a PC: LAPIC at 0xfee00000, IOAPIC at 0xfec00000\n");
		madt.lapic_addr = madt.lapic_addr ? madt.lapic_addr : 0xfee00000;
		madt.ioapic = (struct ioapic_info){ 0xfec00000, 0, 0 };
		madt.nr_overrides = 1;
		madt.overrides[0] = (struct irq_override){ 0, 2, 0 };
	}
	if (!madt.nr_cpus)
		madt.nr_cpus = 1;
	pr_info("ACPI: LAPIC at %#llx, IOAPIC[%u] at %#x (GSI base %u), %u CPU%s, %u IRQ override%s\n",
		madt.lapic_addr, madt.ioapic.id, madt.ioapic.addr, madt.ioapic.gsi_base, madt.nr_cpus,
		madt.nr_cpus == 1 ? "" : "s", madt.nr_overrides, madt.nr_overrides == 1 ? "" : "s");
}
