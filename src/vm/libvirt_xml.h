/* The few facts vmplay reads from libvirt's XML (domain, snapshot): a
 * small scanner over the XML libvirt itself writes (well-formed, quoted
 * attributes), not a general parser. Pure functions, unit-tested. */
#ifndef VMPLAY_LIBVIRT_XML_H
#define VMPLAY_LIBVIRT_XML_H

#include <stdbool.h>
#include <stdint.h>

/* The value of attribute attr in the start tag at tag (pointing at '<'),
 * entities decoded; NULL when absent. Caller frees. */
char *lvxml_attr(const char *tag, const char *attr);
/* The next start tag <name ...> at or after from, before end (NULL: the
 * end of the text); NULL when none. */
const char *lvxml_find(const char *from, const char *end, const char *name);
/* Where the element starting at tag ends (after its end tag, or after
 * "/>" when empty). */
const char *lvxml_end(const char *tag, const char *name);
/* The text of the first <name>TEXT</name> in xml, decoded; NULL when
 * absent. Caller frees. */
char *lvxml_text(const char *xml, const char *name);

/* A domain's VNC display as its live XML describes it. */
struct lvxml_vnc {
	bool found;         /* a <graphics type='vnc'> exists */
	int index;          /* its position among all <graphics> (for
			     * virDomainOpenGraphicsFD) */
	char *listen_type;  /* "none", "socket", "address", "network" */
	char *socket;       /* unix socket path, when listening on one */
	char *address;      /* listen address, when on TCP */
	int port;           /* TCP port, -1 when none or not started */
	char *other;        /* the type of the first other display (spice),
			     * to name in a message; NULL */
};
void lvxml_vnc(const char *domain_xml, struct lvxml_vnc *out);
void lvxml_vnc_free(struct lvxml_vnc *v);

/* The domain's first CD drive. */
struct lvxml_cdrom {
	bool found;
	char *target;       /* "hdc", "sda" */
	char *bus;          /* "ide", "sata", "scsi" */
	char *source;       /* the inserted file, NULL when empty */
};
void lvxml_cdrom(const char *domain_xml, struct lvxml_cdrom *out);
void lvxml_cdrom_free(struct lvxml_cdrom *c);

/* Whether the video device draws its own cursor (qxl, virtio, vmvga...),
 * so that VNC's cursor pseudo-encoding is worth asking for. */
bool lvxml_hardware_cursor(const char *domain_xml);

/* text with &, <, >, ' and " escaped for an attribute. Caller frees. */
char *lvxml_escape(const char *text);

#endif
