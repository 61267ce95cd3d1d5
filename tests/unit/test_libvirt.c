/* The pure parts of the libvirt engine: what vmplay reads from libvirt's
 * XML (the VNC display, the CD drive, the video model) and from a URI
 * (the SSH channel for the display). The engine itself is tested against
 * a real libvirtd in tests/e2e/test_libvirt*.sh. */
#include "test.h"

#include "base/util.h"
#include "vm/config.h"
#include "vm/libvirt_uri.h"
#include "vm/libvirt_xml.h"

#include <stdlib.h>
#include <unistd.h>

static const char domain_xml[] =
	"<domain type='qemu' id='3'>\n"
	"  <name>web &amp; db</name>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'>\n"
	"      <source file='/v/a.qcow2'/>\n"
	"      <target dev='vda' bus='virtio'/>\n"
	"    </disk>\n"
	"    <disk type='file' device='cdrom'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <source file='/iso/it&apos;s.iso'/>\n"
	"      <target dev='sda' bus='sata'/>\n"
	"      <readonly/>\n"
	"    </disk>\n"
	"    <graphics type='spice' autoport='yes'>\n"
	"      <listen type='address'/>\n"
	"    </graphics>\n"
	"    <graphics type='vnc' socket='/var/lib/libvirt/qemu/d-3/vnc.sock'>\n"
	"      <listen type='socket' socket='/var/lib/libvirt/qemu/d-3/vnc.sock'/>\n"
	"    </graphics>\n"
	"    <video>\n"
	"      <model type='qxl' ram='65536' heads='1' primary='yes'/>\n"
	"    </video>\n"
	"  </devices>\n"
	"</domain>\n";

static void test_vnc_socket(void)
{
	struct lvxml_vnc v;
	lvxml_vnc(domain_xml, &v);
	CHECK(v.found);
	CHECK_INT(v.index, 1);   /* after the spice display */
	CHECK_STR(v.listen_type, "socket");
	CHECK_STR(v.socket, "/var/lib/libvirt/qemu/d-3/vnc.sock");
	CHECK_INT(v.port, -1);
	CHECK_STR(v.other, "spice");
	lvxml_vnc_free(&v);
}

static void test_vnc_address_and_none(void)
{
	struct lvxml_vnc v;
	lvxml_vnc("<domain><devices><graphics type=\"vnc\" port=\"5901\" "
		  "autoport=\"yes\" listen=\"127.0.0.1\"><listen "
		  "type=\"address\" address=\"127.0.0.1\"/></graphics>"
		  "</devices></domain>", &v);
	CHECK(v.found);
	CHECK_INT(v.index, 0);
	CHECK_STR(v.listen_type, "address");
	CHECK_STR(v.address, "127.0.0.1");
	CHECK_INT(v.port, 5901);
	CHECK(v.socket == NULL);
	lvxml_vnc_free(&v);

	lvxml_vnc("<domain><devices><graphics type='vnc'><listen type='none'/>"
		  "</graphics></devices></domain>", &v);
	CHECK(v.found);
	CHECK_STR(v.listen_type, "none");
	lvxml_vnc_free(&v);

	lvxml_vnc("<domain><devices><graphics type='spice'/></devices></domain>", &v);
	CHECK(!v.found);
	CHECK_STR(v.other, "spice");
	lvxml_vnc_free(&v);
	/* <graphicsfoo> is not <graphics> */
	lvxml_vnc("<domain><graphicsfoo type='vnc'/></domain>", &v);
	CHECK(!v.found && !v.other);
	lvxml_vnc_free(&v);
}

static void test_cdrom(void)
{
	struct lvxml_cdrom c;
	lvxml_cdrom(domain_xml, &c);
	CHECK(c.found);
	CHECK_STR(c.target, "sda");
	CHECK_STR(c.bus, "sata");
	CHECK_STR(c.source, "/iso/it's.iso");
	lvxml_cdrom_free(&c);
	lvxml_cdrom("<domain><disk type='file' device='cdrom'><target dev='hdc' "
		    "bus='ide'/></disk></domain>", &c);
	CHECK(c.found && c.source == NULL);
	lvxml_cdrom_free(&c);
	lvxml_cdrom("<domain><disk device='disk'/></domain>", &c);
	CHECK(!c.found);
	lvxml_cdrom_free(&c);
}

static void test_text_cursor_escape(void)
{
	char *name = lvxml_text(domain_xml, "name");
	CHECK_STR(name, "web & db");
	free(name);
	CHECK(lvxml_text(domain_xml, "nothing") == NULL);
	CHECK(lvxml_hardware_cursor(domain_xml));   /* qxl */
	CHECK(!lvxml_hardware_cursor("<video><model type='vga'/></video>"));
	CHECK(!lvxml_hardware_cursor("<domain/>"));
	char *e = lvxml_escape("a<b>&'\"");
	CHECK_STR(e, "a&lt;b&gt;&amp;&apos;&quot;");
	free(e);
}

static void test_uri_ssh(void)
{
	struct libvirt_ssh s;
	CHECK(!libvirt_uri_ssh("qemu:///system", &s));
	CHECK(!libvirt_uri_ssh("qemu+tls://host/system", &s));
	CHECK(!libvirt_uri_ssh("qemu+ssh:///system", &s));   /* no host */
	CHECK(libvirt_uri_ssh("qemu+ssh://root@127.0.0.1:2222/system?keyfile="
			      "/k/id%20x&no_verify=1&known_hosts=/k/kh", &s));
	CHECK_STR(s.user, "root");
	CHECK_STR(s.host, "127.0.0.1");
	CHECK_STR(s.port, "2222");
	CHECK_STR(s.keyfile, "/k/id x");
	CHECK_STR(s.known_hosts, "/k/kh");
	CHECK(s.no_verify);
	libvirt_ssh_free(&s);
	CHECK(libvirt_uri_ssh("qemu+libssh2://[fe80::1]:22/system", &s));
	CHECK_STR(s.host, "[fe80::1]");
	CHECK_STR(s.port, "22");
	CHECK(s.user == NULL && !s.no_verify);
	libvirt_ssh_free(&s);
	CHECK(libvirt_uri_ssh("xen+ssh://h/", &s));
	CHECK_STR(s.host, "h");
	libvirt_ssh_free(&s);

	char *h = libvirt_uri_host("qemu+ssh://me@server.lan/system");
	CHECK_STR(h, "server.lan");
	free(h);
	h = libvirt_uri_host("qemu:///session");
	CHECK_STR(h, "");
	free(h);
}

static void test_ssh_argv(void)
{
	struct libvirt_ssh s = { 0 };
	CHECK(libvirt_uri_ssh("qemu+ssh://ann@h:2022/system?keyfile=/k&netcat=/opt/nc", &s));
	struct strv argv = { 0 };
	libvirt_ssh_argv(&s, "/var/lib/it's/vnc.sock", NULL, -1, &argv);
	char *line = strv_join(&argv, " ");
	CHECK_STR(line, "ssh -T -e none -a -x -o ClearAllForwardings=yes "
			"-p 2022 -l ann -i /k -- h "
			"/opt/nc -U '/var/lib/it'\\''s/vnc.sock'");
	free(line);
	strv_free(&argv);
	libvirt_ssh_argv(&s, NULL, "::1", 5900, &argv);
	CHECK_STR(argv.v[argv.n - 1], "/opt/nc ::1 5900");
	strv_free(&argv);
	libvirt_ssh_free(&s);
}

static char *parse_error(const char *text)
{
	char *error = NULL;
	struct vm_config *cfg = config_parse("/vms/d.vmplay", text, strlen(text),
					     &error);
	config_destroy(cfg);
	return error;
}

/* A VM file naming a domain: [libvirt] uri and domain, with only the
 * sections that say how to show it. */
static void test_vm_file_libvirt(void)
{
	const char *text = "[vm]\nname = Web\n\n[libvirt]\n"
			   "uri = qemu+ssh://me@srv/system\ndomain = web1\n"
			   "\n[display]\nscale = integer\n";
	char *error = NULL;
	struct vm_config *cfg = config_parse("/vms/d.vmplay", text, strlen(text),
					     &error);
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK_STR(cfg->libvirt_uri, "qemu+ssh://me@srv/system");
		CHECK_STR(cfg->libvirt_domain, "web1");
		CHECK_INT(cfg->libvirt_line, 4);
		CHECK_STR(cfg->name, "Web");
	}
	config_destroy(cfg);
	free(error);

	/* no uri: libvirt's default */
	text = "[libvirt]\ndomain = 3\n";
	cfg = config_parse("/vms/d.vmplay", text, strlen(text), &error);
	CHECK(cfg && !cfg->libvirt_uri && cfg->libvirt_domain);
	config_destroy(cfg);

	char *e = parse_error("[libvirt]\nuri = qemu:///system\n");
	CHECK_STR(e, "/vms/d.vmplay:1: [libvirt] needs domain (the domain's "
		  "name, UUID or id)");
	free(e);
	e = parse_error("[libvirt]\nuri = not a uri\ndomain = x\n");
	CHECK_STR(e, "/vms/d.vmplay:2: uri: 'not a uri' is not a libvirt URI "
		  "(for example qemu:///system or qemu+ssh://user@host/system)");
	free(e);
	e = parse_error("[libvirt]\ndomain = x\n[disk.a]\nfile = a.qcow2\n");
	CHECK_STR(e, "/vms/d.vmplay:3: [disk.a] does not apply to a libvirt "
		  "domain (libvirt defines its devices; this file has [libvirt] "
		  "on line 1)");
	free(e);
	e = parse_error("[connections]\nlab = qemu:///system\n");
	CHECK(e && strstr(e, "[connections] belongs in the user file"));
	free(e);
}

/* The user file's [connections], for the library. */
static void test_user_connections(void)
{
	char dir[] = "/tmp/vmplay-test-lv-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "vmplay.ini");
	struct vm_connection *list = NULL;
	size_t n = 9;
	char *error = NULL;
	CHECK(config_load_user_connections(path, &list, &n, &error));
	CHECK(n == 0 && !list && !error);
	const char *text = "[keys]\nmenu = ctrl+alt+j\n\n[connections]\n"
			   "here = qemu:///system\n"
			   "lab = qemu+ssh://ann@lab.example/system?keyfile=/k\n";
	CHECK(write_file_atomic(path, text, strlen(text), true));
	CHECK(config_load_user_connections(path, &list, &n, &error));
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(list[0].name, "here");
		CHECK_STR(list[0].uri, "qemu:///system");
		CHECK_STR(list[1].name, "lab");
		CHECK_INT(list[1].line, 6);
	}
	config_free_connections(list, n);
	text = "[connections]\nlab = qemu:///system\nlab = qemu:///session\n"
	       "bad = nothing\n";
	CHECK(write_file_atomic(path, text, strlen(text), true));
	CHECK(!config_load_user_connections(path, &list, &n, &error));
	CHECK(error && strstr(error, "vmplay.ini:3: lab: set a second time in "
			      "[connections] (first on line 2)"));
	CHECK(error && strstr(error, "vmplay.ini:4: bad: 'nothing' is not a "
			      "libvirt URI"));
	free(error);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* vmplay(5) documents what a user can write. */
static void test_documented(void)
{
	size_t len;
	char *man = read_file("assets/vmplay.5", 1 << 20, &len);
	CHECK(man != NULL);
	if (!man)
		return;
	CHECK(strstr(man, ".SH \"[libvirt]\"") != NULL);
	CHECK(strstr(man, "\n.BI \"uri = \"") != NULL);
	CHECK(strstr(man, "\n.BI \"domain = \"") != NULL);
	CHECK(strstr(man, ".SH \"[connections]\"") != NULL);
	free(man);
	man = read_file("assets/vmplay.1", 1 << 20, &len);
	CHECK(man && strstr(man, "\\-\\-connect"));
	free(man);
}

int main(void)
{
	RUN(test_vm_file_libvirt);
	RUN(test_user_connections);
	RUN(test_documented);
	RUN(test_vnc_socket);
	RUN(test_vnc_address_and_none);
	RUN(test_cdrom);
	RUN(test_text_cursor_escape);
	RUN(test_uri_ssh);
	RUN(test_ssh_argv);
	return TEST_REPORT();
}
