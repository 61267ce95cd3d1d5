/* See libvirt_xml.h. */
#include "vm/libvirt_xml.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static char *decode(const char *s, size_t n)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&apos;", '\'' }, { "&quot;", '"' },
	};
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n;) {
		bool done = false;
		if (s[i] == '&')
			for (size_t k = 0; k < ARRAY_SIZE(ents); k++) {
				size_t l = strlen(ents[k].ent);
				if (i + l <= n && !strncmp(s + i, ents[k].ent, l)) {
					*o++ = ents[k].c;
					i += l;
					done = true;
					break;
				}
			}
		if (!done)
			*o++ = s[i++];
	}
	*o = '\0';
	return out;
}

const char *lvxml_find(const char *from, const char *end, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(from, '<'); p && (!end || p < end);
	     p = strchr(p + 1, '<')) {
		char after = p[1 + n];
		if (!strncmp(p + 1, name, n) &&
		    (after == ' ' || after == '>' || after == '/' ||
		     after == '\n' || after == '\t'))
			return p;
	}
	return NULL;
}

char *lvxml_attr(const char *tag, const char *attr)
{
	const char *close = strchr(tag, '>');
	size_t n = strlen(attr);
	for (const char *p = tag + 1; close && p < close; p++) {
		if ((p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t') &&
		    !strncmp(p, attr, n) && p[n] == '=' &&
		    (p[n + 1] == '\'' || p[n + 1] == '"')) {
			char q = p[n + 1];
			const char *v = p + n + 2;
			const char *e = strchr(v, q);
			if (!e || e > close)
				return NULL;
			return decode(v, (size_t)(e - v));
		}
	}
	return NULL;
}

const char *lvxml_end(const char *tag, const char *name)
{
	const char *close = strchr(tag, '>');
	if (!close)
		return tag + strlen(tag);
	if (close > tag && close[-1] == '/')
		return close + 1;
	char *end_tag = xasprintf("</%s>", name);
	const char *e = strstr(close, end_tag);
	const char *r = e ? e + strlen(end_tag) : close + strlen(close);
	free(end_tag);
	return r;
}

char *lvxml_text(const char *xml, const char *name)
{
	const char *tag = lvxml_find(xml, NULL, name);
	if (!tag)
		return NULL;
	const char *close = strchr(tag, '>');
	if (!close || close[-1] == '/')
		return NULL;
	const char *e = strchr(close + 1, '<');
	if (!e)
		return NULL;
	return decode(close + 1, (size_t)(e - close - 1));
}

void lvxml_vnc(const char *xml, struct lvxml_vnc *out)
{
	*out = (struct lvxml_vnc){ .port = -1 };
	int index = 0;
	for (const char *g = lvxml_find(xml, NULL, "graphics"); g;
	     g = lvxml_find(lvxml_end(g, "graphics"), NULL, "graphics"),
	     index++) {
		char *type = lvxml_attr(g, "type");
		if (!type || strcmp(type, "vnc") != 0) {
			if (!out->other)
				out->other = type ? type : NULL;
			else
				free(type);
			continue;
		}
		free(type);
		const char *end = lvxml_end(g, "graphics");
		out->found = true;
		out->index = index;
		out->socket = lvxml_attr(g, "socket");
		char *port = lvxml_attr(g, "port");
		if (port) {
			out->port = atoi(port);
			free(port);
		}
		const char *l = lvxml_find(g + 1, end, "listen");
		if (l) {
			out->listen_type = lvxml_attr(l, "type");
			if (!out->socket)
				out->socket = lvxml_attr(l, "socket");
			out->address = lvxml_attr(l, "address");
		}
		if (!out->address)
			out->address = lvxml_attr(g, "listen");
		if (!out->listen_type)
			out->listen_type = xstrdup(out->socket ? "socket"
					     : out->address ? "address" : "none");
		return;
	}
}

void lvxml_vnc_free(struct lvxml_vnc *v)
{
	free(v->listen_type);
	free(v->socket);
	free(v->address);
	free(v->other);
	*v = (struct lvxml_vnc){ .port = -1 };
}

void lvxml_cdrom(const char *xml, struct lvxml_cdrom *out)
{
	*out = (struct lvxml_cdrom){ 0 };
	for (const char *d = lvxml_find(xml, NULL, "disk"); d;
	     d = lvxml_find(lvxml_end(d, "disk"), NULL, "disk")) {
		char *device = lvxml_attr(d, "device");
		bool cd = device && !strcmp(device, "cdrom");
		free(device);
		if (!cd)
			continue;
		const char *end = lvxml_end(d, "disk");
		out->found = true;
		const char *t = lvxml_find(d + 1, end, "target");
		if (t) {
			out->target = lvxml_attr(t, "dev");
			out->bus = lvxml_attr(t, "bus");
		}
		const char *s = lvxml_find(d + 1, end, "source");
		if (s)
			out->source = lvxml_attr(s, "file");
		return;
	}
}

void lvxml_cdrom_free(struct lvxml_cdrom *c)
{
	free(c->target);
	free(c->bus);
	free(c->source);
	*c = (struct lvxml_cdrom){ 0 };
}

bool lvxml_hardware_cursor(const char *xml)
{
	const char *v = lvxml_find(xml, NULL, "video");
	const char *m = v ? lvxml_find(v, lvxml_end(v, "video"), "model") : NULL;
	char *type = m ? lvxml_attr(m, "type") : NULL;
	bool hw = type && strcmp(type, "vga") != 0 && strcmp(type, "cirrus") != 0 &&
		  strcmp(type, "none") != 0;
	free(type);
	return hw;
}

char *lvxml_escape(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += strchr("&<>'\"", *p) ? 6 : 1;
	char *out = xmalloc(n + 1), *o = out;
	for (const char *p = text; *p; p++) {
		const char *e = NULL;
		switch (*p) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '\'': e = "&apos;"; break;
		case '"': e = "&quot;"; break;
		}
		if (e) {
			memcpy(o, e, strlen(e));
			o += strlen(e);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}
