/*
 * Names for debugging output (Linux: mm/debug.c, the gfpflag_names table
 * that lib/vsprintf.c's %pGg walks): a GFP mask in words, as the OOM report
 * and the allocation-failure report print it. No state, no locks.
 */
#include <kernel/kernel.h>
#include <mm/gfp.h>

struct gfp_name {
	gfp_t mask;
	const char *name;
};

/* Linux's order: the widest combinations first, so the shortest spelling wins. */
#define G(f) { f, #f }
static const struct gfp_name gfpflag_names[] = {
	G(GFP_TRANSHUGE), G(GFP_TRANSHUGE_LIGHT), G(GFP_HIGHUSER_MOVABLE), G(GFP_HIGHUSER),
	G(GFP_USER), G(GFP_KERNEL_ACCOUNT), G(GFP_KERNEL), G(GFP_NOFS), G(GFP_ATOMIC), G(GFP_NOIO),
	G(GFP_NOWAIT), G(GFP_DMA), G(__GFP_HIGHMEM), G(GFP_DMA32), G(__GFP_HIGH), G(__GFP_ATOMIC),
	G(__GFP_IO), G(__GFP_FS), G(__GFP_NOWARN), G(__GFP_RETRY_MAYFAIL), G(__GFP_NOFAIL),
	G(__GFP_NORETRY), G(__GFP_COMP), G(__GFP_ZERO), G(__GFP_NOMEMALLOC), G(__GFP_MEMALLOC),
	G(__GFP_THISNODE), G(__GFP_RECLAIMABLE), G(__GFP_MOVABLE), G(__GFP_ACCOUNT), G(__GFP_WRITE),
	G(__GFP_RECLAIM), G(__GFP_DIRECT_RECLAIM), G(__GFP_KSWAPD_RECLAIM), G(__GFP_ZEROTAGS),
};
#undef G

int format_gfp_flags(char *buf, size_t size, gfp_t gfp)
{
	int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(gfpflag_names) && gfp; i++) {
		gfp_t mask = gfpflag_names[i].mask;
		if ((gfp & mask) != mask)
			continue;
		gfp &= ~mask;
		n += snprintf(buf + min((size_t)n, size), size - min((size_t)n, size), "%s%s",
			      gfpflag_names[i].name, gfp ? "|" : "");
	}
	if (gfp)
		n += snprintf(buf + min((size_t)n, size), size - min((size_t)n, size), "%#x", gfp);
	return n;
}
