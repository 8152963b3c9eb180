/*
 * Console backends.
 */
#include "devices/console.h"

#include <errno.h>

int console_backend_open_stdio(struct console_backend *c)
{
	memset(c, 0, sizeof(*c));
	c->out = stdout;
	return 0;
}

int console_backend_open_none(struct console_backend *c)
{
	memset(c, 0, sizeof(*c));
	return 0;
}

int console_backend_open_file(struct console_backend *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->out = fopen(path, "w");
	if (!c->out)
		return -errno;
	c->own = true;
	return 0;
}

void console_backend_write(struct console_backend *c, const char *buf, size_t len)
{
	c->bytes_out += len;
	if (!c->out)
		return;
	fwrite(buf, 1, len, c->out);
	fflush(c->out);
}

void console_backend_close(struct console_backend *c)
{
	if (c->own && c->out)
		fclose(c->out);
	memset(c, 0, sizeof(*c));
}
