/*
 * ELF64 images (x86-64 with the Xen PVH note; ppc64 big or little endian).
 *
 * Checked, in order: the identification bytes, the header fields, every
 * program header (inside the file, sizes consistent, no overflow), the notes
 * and the entry point. Segments load at their physical addresses (p_paddr).
 */
#include "frontend/image.h"
#include "frontend/bzimage.h"

#include <inttypes.h>
#include <stdarg.h>

#define EM_PPC64 21
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define XEN_ELFNOTE_ENTRY 1
#define XEN_ELFNOTE_PHYS32_ENTRY 18

struct elf_reader {
	const uint8_t *p;
	size_t size;
	bool be;
};

static uint64_t er_u16(const struct elf_reader *r, size_t off)
{
	return r->be ? ld16_be_p(r->p + off) : ld16_le_p(r->p + off);
}

static uint64_t er_u32(const struct elf_reader *r, size_t off)
{
	return r->be ? ld32_be_p(r->p + off) : ld32_le_p(r->p + off);
}

static uint64_t er_u64(const struct elf_reader *r, size_t off)
{
	return r->be ? ld64_be_p(r->p + off) : ld64_le_p(r->p + off);
}

static bool fail(char **msg, const char *fmt, ...) SV_PRINTF(2, 3);
static bool fail(char **msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return false;
}

/* Is [off, off + len) inside the file? */
static bool in_file(const struct elf_reader *r, uint64_t off, uint64_t len)
{
	return off <= r->size && len <= r->size - off;
}

static void parse_notes(const struct elf_reader *r, uint64_t off, uint64_t len,
			struct sv_image *img)
{
	uint64_t end = off + len;

	/* Each note: namesz, descsz, type, name (padded to 4), desc (padded). */
	while (off + 12 <= end) {
		uint64_t namesz = er_u32(r, off), descsz = er_u32(r, off + 4);
		uint64_t type = er_u32(r, off + 8);
		uint64_t name_off = off + 12;
		uint64_t desc_off = name_off + ((namesz + 3) & ~3ull);
		uint64_t next = desc_off + ((descsz + 3) & ~3ull);

		if (namesz > len || descsz > len || next > end)
			break;
		if (namesz == 4 && !memcmp(r->p + name_off, "Xen", 4)) {
			g_string_append_printf(img->notes, "Xen note type %" PRIu64, type);
			if (type == XEN_ELFNOTE_PHYS32_ENTRY && (descsz == 4 || descsz == 8)) {
				img->entry =
					descsz == 4 ? er_u32(r, desc_off) : er_u64(r, desc_off);
				img->has_pvh_entry = true;
				g_string_append_printf(img->notes, " (PHYS32_ENTRY 0x%" PRIx64 ")",
						       img->entry);
			}
			g_string_append_c(img->notes, '\n');
		} else if (namesz == 6 && !memcmp(r->p + name_off, "Linux", 6)) {
			img->is_linux = true;
			g_string_append_printf(img->notes, "Linux note type %" PRIu64 "\n", type);
		} else if (namesz >= 1 && namesz < 64) {
			g_string_append_printf(img->notes, "%.*s note type %" PRIu64 "\n",
					       (int)namesz - 1, r->p + name_off, type);
		}
		off = next;
	}
}

bool sv_image_parse(const uint8_t *data, size_t size, struct sv_image *img, char **msg)
{
	struct elf_reader r = { data, size, false };
	uint64_t phoff, phentsize, phnum, e_entry, machine;
	bool entry_mapped = false;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	img->notes = g_string_new(NULL);
	*msg = NULL;

	if (size == 0)
		return fail(msg, "the file is empty");
	if (size < 16 || memcmp(data, "\177ELF", 4))
		return fail(msg,
			    "not an ELF image (bad magic); softvisor boots ELF vmlinux images");
	if (data[4] != 2)
		return fail(msg, "ELF class %u is not supported: softvisor boots 64-bit ELF images",
			    data[4]);
	if (data[5] != 1 && data[5] != 2)
		return fail(msg, "bad ELF data encoding %u", data[5]);
	r.be = data[5] == 2;
	if (size < 64)
		return fail(msg, "truncated ELF header (%zu bytes, need 64)", size);
	machine = er_u16(&r, 18);
	if (machine == EM_X86_64 && !r.be) {
		img->arch = HV_ARCH_X86_64;
		img->format = "ELF64 x86-64";
	} else if (machine == EM_PPC64) {
		img->arch = HV_ARCH_PPC64;
		img->big_endian = r.be;
		img->format = r.be ? "ELF64 ppc64 big-endian" : "ELF64 ppc64 little-endian";
	} else {
		return fail(msg,
			    "unsupported ELF machine %" PRIu64 " (%s-endian): softvisor runs "
			    "x86-64 and ppc64 guests",
			    machine, r.be ? "big" : "little");
	}
	if (er_u16(&r, 16) != 2 && er_u16(&r, 16) != 3)
		return fail(msg, "ELF type %" PRIu64 " is not an executable", er_u16(&r, 16));
	e_entry = er_u64(&r, 24);
	phoff = er_u64(&r, 32);
	phentsize = er_u16(&r, 54);
	phnum = er_u16(&r, 56);
	if (phnum == 0)
		return fail(msg, "the ELF image has no program headers (nothing to load)");
	if (phentsize < 56)
		return fail(msg, "bad ELF program header size %" PRIu64, phentsize);
	if (phnum > 256 || !in_file(&r, phoff, phnum * phentsize))
		return fail(msg, "ELF program headers extend past the end of the file "
				 "(truncated image?)");

	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t ph = phoff + i * phentsize;
		uint64_t type = er_u32(&r, ph);
		uint64_t off = er_u64(&r, ph + 8), vaddr = er_u64(&r, ph + 16);
		uint64_t paddr = er_u64(&r, ph + 24), filesz = er_u64(&r, ph + 32);
		uint64_t memsz = er_u64(&r, ph + 40);
		struct sv_segment *s;

		if (type == PT_NOTE) {
			if (!in_file(&r, off, filesz))
				return fail(msg,
					    "ELF note segment %" PRIu64 " extends past the end "
					    "of the file",
					    i);
			parse_notes(&r, off, filesz, img);
			continue;
		}
		if (type != PT_LOAD || memsz == 0)
			continue;
		if (!in_file(&r, off, filesz))
			return fail(msg,
				    "ELF segment %" PRIu64 " extends past the end of the file "
				    "(truncated image?)",
				    i);
		if (filesz > memsz)
			return fail(msg, "ELF segment %" PRIu64 " has file size > memory size", i);
		if (paddr + memsz < paddr)
			return fail(msg, "ELF segment %" PRIu64 " wraps around the address space",
				    i);
		if (img->n_segs == SV_IMAGE_MAX_SEGMENTS)
			return fail(msg, "too many ELF segments (more than %u)",
				    SV_IMAGE_MAX_SEGMENTS);
		s = &img->segs[img->n_segs++];
		s->paddr = paddr;
		s->vaddr = vaddr;
		s->offset = off;
		s->filesz = filesz;
		s->memsz = memsz;
		if (paddr + memsz > img->end)
			img->end = paddr + memsz;
		/* A ppc64 entry is a virtual address inside a segment. */
		if (!entry_mapped && e_entry >= vaddr && e_entry - vaddr < memsz) {
			if (img->arch == HV_ARCH_PPC64)
				img->entry = paddr + (e_entry - vaddr);
			entry_mapped = true;
		}
	}
	if (img->n_segs == 0)
		return fail(msg, "the ELF image has no loadable segments");
	if (img->arch == HV_ARCH_X86_64) {
		if (!img->has_pvh_entry)
			return fail(msg, "no XEN_ELFNOTE_PHYS32_ENTRY note: not a Xen PVH kernel "
					 "(softvisor boots x86-64 guests as PVH)");
		img->format = "ELF64 x86-64 (Xen PVH)";
	} else if (!entry_mapped) {
		return fail(msg,
			    "the ELF entry point 0x%" PRIx64 " is outside every loadable "
			    "segment",
			    e_entry);
	}
	return true;
}

bool sv_image_open(const uint8_t *data, size_t size, struct sv_image *img, char **msg)
{
	const char *how = NULL;
	uint8_t *elf;
	size_t elf_size;

	if (!sv_bzimage_detect(data, size))
		return sv_image_parse(data, size, img, msg);
	elf = sv_bzimage_extract(data, size, SV_IMAGE_MAX_ELF, &elf_size, &how, msg);
	if (!elf) {
		memset(img, 0, sizeof(*img));
		return false;
	}
	if (!sv_image_parse(elf, elf_size, img, msg)) {
		char *inner = *msg;
		*msg = g_strdup_printf("the bzImage's %s payload: %s", how, inner);
		g_free(inner);
		g_free(elf);
		return false;
	}
	img->owned = elf;
	img->container =
		g_strdup_printf("bzImage, %s-compressed (%zu bytes -> %zu)", how, size, elf_size);
	return true;
}

void sv_image_clear(struct sv_image *img)
{
	if (img->notes)
		g_string_free(img->notes, TRUE);
	g_free(img->owned);
	g_free(img->container);
	img->notes = NULL;
	img->owned = NULL;
	img->container = NULL;
}

bool sv_image_load(const struct sv_image *img, struct p2m *p2m, uint64_t ram_bytes, char **msg)
{
	*msg = NULL;
	for (unsigned i = 0; i < img->n_segs; i++) {
		const struct sv_segment *s = &img->segs[i];
		uint8_t zero[4096] = { 0 };

		if (s->paddr + s->memsz > ram_bytes)
			return fail(msg,
				    "ELF segment at 0x%" PRIx64 "-0x%" PRIx64 " lies outside the "
				    "guest's %" PRIu64 " MiB of memory (try a larger --memory)",
				    s->paddr, s->paddr + s->memsz, ram_bytes >> 20);
		if (p2m_copy_to(p2m, s->paddr, img->data + s->offset, s->filesz) < 0)
			return fail(msg, "could not load the segment at 0x%" PRIx64, s->paddr);
		for (uint64_t a = s->filesz; a < s->memsz; a += sizeof(zero)) {
			uint64_t n = s->memsz - a < sizeof(zero) ? s->memsz - a : sizeof(zero);
			if (p2m_copy_to(p2m, s->paddr + a, zero, n) < 0)
				return fail(msg, "could not clear the segment at 0x%" PRIx64,
					    s->paddr);
		}
	}
	if (img->entry >= ram_bytes)
		return fail(msg, "the entry point 0x%" PRIx64 " lies outside the guest's memory",
			    img->entry);
	return true;
}

void sv_image_describe(const struct sv_image *img, FILE *out)
{
	if (img->container)
		fprintf(out, "file:     %s\n", img->container);
	fprintf(out, "format:   %s\n", img->format);
	fprintf(out, "arch:     %s\n", hv_arch_name(img->arch));
	if (img->arch == HV_ARCH_PPC64)
		fprintf(out, "endian:   %s\n", img->big_endian ? "big" : "little");
	fprintf(out, "entry:    0x%" PRIx64 " (physical)%s\n", img->entry,
		img->has_pvh_entry ? ", from XEN_ELFNOTE_PHYS32_ENTRY" : "");
	fprintf(out, "platform: %s\n",
		img->arch == HV_ARCH_PPC64 && img->is_linux ? "pseries (a ppc64 Linux kernel)" :
							      "xen");
	for (unsigned i = 0; i < img->n_segs; i++)
		fprintf(out,
			"segment:  paddr 0x%08" PRIx64 " memsz 0x%" PRIx64 " filesz 0x%" PRIx64
			"\n",
			img->segs[i].paddr, img->segs[i].memsz, img->segs[i].filesz);
	if (img->notes->len)
		fprintf(out, "notes:\n%s", img->notes->str);
}
