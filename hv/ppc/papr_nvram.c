/*
 * The partition's non-volatile RAM (LoPAPR 7.3.3.2 "NVRAM"), reached with the
 * RTAS calls nvram-fetch and nvram-store.
 *
 * The NVRAM is PAPR_NVRAM_SIZE bytes of hv memory that live as long as the
 * run (nothing is written to the host). The device tree's /vdevice/nvram
 * says its size ("#bytes"). It starts formatted as CHRP NVRAM partitions
 * are: one free-space partition over all of it, so the guest can carve its
 * own out of it (Linux adds "ibm,rtas-log" and "lnx,oops-log"). A partition
 * header is 16 bytes:
 *
 *     u8 signature (0x7f: free space), u8 checksum, be16 length in 16-byte
 *     blocks, char name[12]
 *
 * and the checksum is the end-around-carry sum of the header's other 15
 * bytes (the one's complement sum Linux's nvram_checksum computes 16 bits at
 * a time).
 *
 * Worked example, Linux reading the first header: nvram-fetch(index 0,
 * buffer 0x3f000, length 16) copies bytes 0..15 to the buffer and returns
 * status 0 with 16 bytes transferred: 7f 29 10 00 77 77 ... ("wwwwwwwwwwww",
 * 0x1000 blocks = 64 KiB).
 */
#include "hv/ppc/papr.h"
#include "hv/ppc/rtas.h"

#define NVRAM_SIG_FREE 0x7f
#define NVRAM_HEADER_LEN 16

/* The CHRP header checksum (see above). */
static uint8_t papr_nvram_checksum(const uint8_t *h)
{
	unsigned sum = h[0];

	for (unsigned i = 2; i < NVRAM_HEADER_LEN; i++) {
		sum += h[i];
		sum = (sum + (sum >> 8)) & 0xff;
	}
	return (uint8_t)sum;
}

int papr_nvram_init(struct papr_domain *p)
{
	uint8_t *h;

	p->nvram = g_try_malloc0(PAPR_NVRAM_SIZE);
	if (!p->nvram)
		return -1;
	h = p->nvram;
	h[0] = NVRAM_SIG_FREE;
	st16_be_p(h + 2, PAPR_NVRAM_SIZE / 16);
	memset(h + 4, 'w', 12);
	h[1] = papr_nvram_checksum(h);
	return 0;
}

/*
 * nvram-fetch / nvram-store (index, buffer, length) -> status, bytes
 * transferred: copy between the NVRAM at index and the buffer (a real
 * address). An index or length beyond the NVRAM, or a buffer outside RAM:
 * parameter error, nothing transferred.
 */
int32_t papr_rtas_nvram(struct vcpu *v, const uint32_t *args, uint32_t nargs, uint32_t *rets,
			uint32_t nret, bool store)
{
	struct papr_domain *p = v->d->papr;
	uint64_t index, buf, len;
	int rc;

	if (nargs < 3 || nret < 2)
		return RTAS_PARAMETER_ERROR;
	index = args[0];
	buf = args[1];
	len = args[2];
	rets[1] = 0;
	if (index > PAPR_NVRAM_SIZE || len > PAPR_NVRAM_SIZE - index)
		return RTAS_PARAMETER_ERROR;
	if (store)
		rc = p2m_copy_from(v->d->p2m, p->nvram + index, buf, len);
	else
		rc = p2m_copy_to(v->d->p2m, buf, p->nvram + index, len);
	if (rc < 0)
		return RTAS_PARAMETER_ERROR;
	rets[1] = (uint32_t)len;
	return RTAS_SUCCESS;
}
