/*
 * softvisor: an instruction-level emulator that is a hypervisor.
 *
 *   softvisor run [OPTIONS] [KERNEL]   boot a guest (no KERNEL: the demo)
 *   softvisor inspect IMAGE            what would be booted
 *   softvisor --version | --help
 */
#include "frontend/demo/demo.h"
#include "frontend/image.h"
#include "frontend/machine.h"
#include "frontend/options.h"

#include <errno.h>
#include <stdio.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: softvisor run [OPTIONS] [KERNEL]   boot KERNEL (no KERNEL: the "
		     "built-in demo guest)\n"
		     "       softvisor inspect IMAGE            show what would be booted\n"
		     "       softvisor --version | --help\n"
		     "'softvisor run --help' lists the run options; see softvisor(1).\n");
}

/* Read a whole image file. NULL after printing why. */
static uint8_t *read_image(const char *path, size_t *size)
{
	gchar *data = NULL;
	gsize len = 0;
	GError *err = NULL;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		sv_error("%s is a directory, not a kernel image", path);
		return NULL;
	}
	if (!g_file_get_contents(path, &data, &len, &err)) {
		sv_error("cannot read %s: %s", path, err->message);
		g_error_free(err);
		return NULL;
	}
	*size = len;
	return (uint8_t *)data;
}

static int cmd_inspect(int argc, char **argv)
{
	struct sv_image img;
	uint8_t *data;
	size_t size;
	char *msg;
	int status = SV_EXIT_USAGE;

	if (argc != 2) {
		sv_error("usage: softvisor inspect IMAGE");
		return SV_EXIT_USAGE;
	}
	data = read_image(argv[1], &size);
	if (!data)
		return SV_EXIT_USAGE;
	if (sv_image_open(data, size, &img, &msg)) {
		printf("image:    %s\n", argv[1]);
		sv_image_describe(&img, stdout);
		status = 0;
	} else {
		sv_error("%s: %s", argv[1], msg);
		g_free(msg);
	}
	sv_image_clear(&img);
	g_free(data);
	return status;
}

static int cmd_run(int argc, char **argv)
{
	struct sv_options o;
	struct sv_image img;
	struct sv_machine m;
	uint8_t *data = NULL;
	const uint8_t *image;
	size_t size;
	char *msg;
	int status;

	if (!sv_options_parse_run(argc, argv, &o))
		return SV_EXIT_USAGE;
	if (o.kernel) {
		data = read_image(o.kernel, &size);
		if (!data) {
			sv_options_free(&o);
			return SV_EXIT_USAGE;
		}
		image = data;
	} else if (o.arch && !strcmp(o.arch, "ppc64")) {
		image = sv_demo_ppc_le_elf;
		size = sv_demo_ppc_le_elf_len;
	} else {
		image = sv_demo_x86_elf;
		size = sv_demo_x86_elf_len;
	}
	if (!sv_image_open(image, size, &img, &msg)) {
		sv_error("%s: %s", o.kernel ? o.kernel : "demo", msg);
		g_free(msg);
		sv_image_clear(&img);
		g_free(data);
		sv_options_free(&o);
		return SV_EXIT_USAGE;
	}
	status = sv_machine_create(&m, &o, &img);
	if (status < 0)
		status = sv_machine_run(&m, &o);
	sv_machine_destroy(&m);
	sv_image_clear(&img);
	g_free(data);
	sv_options_free(&o);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return SV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("softvisor %s\n", SV_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "inspect"))
		return cmd_inspect(argc - 1, argv + 1);
	sv_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return SV_EXIT_USAGE;
}
