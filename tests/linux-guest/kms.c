/* kms: the Linux test guest's display follower. Shows a known picture on
 * the first connected DRM connector in its preferred mode, and whenever the
 * kernel reports a hot-plug (the virtio-gpu display changed size because
 * the host asked: QEMU's VNC SetDesktopSize -> virtio-gpu display info ->
 * uevent HOTPLUG=1) applies the new preferred mode. What a desktop
 * session's compositor does, in a hundred lines, with the kernel's ioctls
 * only (no libdrm in the guest).
 *
 * Prints on stdout (the serial port), one line each:
 *   kms-mode WxH      after the picture in that mode is on the screen
 *   kms-error TEXT    something failed
 *
 * The picture, for a mode W x H: pixel (x, y) is XRGB with red = x & 255,
 * green = y & 255, blue = (x >> 8) * 16 + (y >> 8): every pixel differs
 * from its neighbours, so any scaling of it shows. */
#include <drm.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static int card = -1;

struct shown {
	uint32_t fb, handle, crtc;
	int w, h;
};

static int xioctl(unsigned long req, void *arg)
{
	int r;
	do
		r = ioctl(card, req, arg);
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r;
}

/* The first connected connector and its preferred mode (or its first). */
static int find_output(uint32_t *conn_id, uint32_t *crtc_id,
		       struct drm_mode_modeinfo *mode)
{
	struct drm_mode_card_res res = { 0 };
	if (xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
		return -1;
	uint32_t conns[16], crtcs[16];
	if (res.count_connectors > 16) res.count_connectors = 16;
	if (res.count_crtcs > 16) res.count_crtcs = 16;
	res.count_fbs = res.count_encoders = 0;
	res.connector_id_ptr = (uintptr_t)conns;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	if (xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
		return -1;
	for (uint32_t i = 0; i < res.count_connectors; i++) {
		struct drm_mode_get_connector c = { .connector_id = conns[i] };
		/* the first call with no arrays makes the kernel probe */
		if (xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0)
			continue;
		if (c.connection != 1 || c.count_modes == 0)
			continue;
		uint32_t n = c.count_modes;
		struct drm_mode_modeinfo *modes = calloc(n, sizeof(*modes));
		struct drm_mode_get_connector c2 = {
			.connector_id = conns[i],
			.count_modes = n,
			.modes_ptr = (uintptr_t)modes,
		};
		if (xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c2) < 0) {
			free(modes);
			continue;
		}
		if (c2.count_modes < n)
			n = c2.count_modes;
		*mode = modes[0];
		for (uint32_t k = 0; k < n; k++)
			if (modes[k].type & DRM_MODE_TYPE_PREFERRED) {
				*mode = modes[k];
				break;
			}
		free(modes);
		*conn_id = conns[i];
		*crtc_id = crtcs[0];
		if (c2.encoder_id) {
			struct drm_mode_get_encoder e = { .encoder_id = c2.encoder_id };
			if (xioctl(DRM_IOCTL_MODE_GETENCODER, &e) == 0 && e.crtc_id)
				*crtc_id = e.crtc_id;
		}
		return 0;
	}
	return -1;
}

static void draw(uint32_t *px, uint32_t pitch, int w, int h)
{
	for (int y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)((char *)px + (size_t)y * pitch);
		for (int x = 0; x < w; x++)
			row[x] = (uint32_t)(x & 255) << 16 | (uint32_t)(y & 255) << 8 |
				 (uint32_t)(((x >> 8) * 16 + (y >> 8)) & 255);
	}
}

static int show(struct shown *cur, uint32_t conn, uint32_t crtc,
		struct drm_mode_modeinfo *mode)
{
	struct drm_mode_create_dumb cd = {
		.width = mode->hdisplay, .height = mode->vdisplay, .bpp = 32,
	};
	if (xioctl(DRM_IOCTL_MODE_CREATE_DUMB, &cd) < 0)
		return -1;
	struct drm_mode_fb_cmd fb = {
		.width = mode->hdisplay, .height = mode->vdisplay,
		.pitch = cd.pitch, .bpp = 32, .depth = 24, .handle = cd.handle,
	};
	struct drm_mode_map_dumb md = { .handle = cd.handle };
	if (xioctl(DRM_IOCTL_MODE_ADDFB, &fb) < 0 ||
	    xioctl(DRM_IOCTL_MODE_MAP_DUMB, &md) < 0)
		return -1;
	void *p = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       card, (off_t)md.offset);
	if (p == MAP_FAILED)
		return -1;
	draw(p, cd.pitch, mode->hdisplay, mode->vdisplay);
	munmap(p, cd.size);
	struct drm_mode_crtc sc = {
		.crtc_id = crtc, .fb_id = fb.fb_id,
		.set_connectors_ptr = (uintptr_t)&conn, .count_connectors = 1,
		.mode = *mode, .mode_valid = 1,
	};
	if (xioctl(DRM_IOCTL_MODE_SETCRTC, &sc) < 0)
		return -1;
	/* virtio-gpu copies a dumb buffer to the host on a flush */
	struct drm_mode_fb_dirty_cmd dirty = { .fb_id = fb.fb_id };
	xioctl(DRM_IOCTL_MODE_DIRTYFB, &dirty);
	if (cur->fb) {
		xioctl(DRM_IOCTL_MODE_RMFB, &cur->fb);
		struct drm_mode_destroy_dumb dd = { .handle = cur->handle };
		xioctl(DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}
	cur->fb = fb.fb_id;
	cur->handle = cd.handle;
	cur->crtc = crtc;
	cur->w = mode->hdisplay;
	cur->h = mode->vdisplay;
	printf("kms-mode %dx%d\n", cur->w, cur->h);
	fflush(stdout);
	return 0;
}

/* Applies the preferred mode when it differs from the one shown. */
static void follow(struct shown *cur)
{
	uint32_t conn, crtc;
	struct drm_mode_modeinfo mode;
	if (find_output(&conn, &crtc, &mode) < 0)
		return;
	if (mode.hdisplay == cur->w && mode.vdisplay == cur->h)
		return;
	if (show(cur, conn, crtc, &mode) < 0) {
		printf("kms-error mode %dx%d: %s\n", mode.hdisplay,
		       mode.vdisplay, strerror(errno));
		fflush(stdout);
	}
}

int main(void)
{
	for (int tries = 0; card < 0 && tries < 100; tries++) {
		card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
		if (card < 0)
			usleep(100000);
	}
	if (card < 0) {
		printf("kms-error /dev/dri/card0: %s\n", strerror(errno));
		return 1;
	}
	int nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	if (nl >= 0 && bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(nl);
		nl = -1;
	}
	struct shown cur = { 0 };
	follow(&cur);
	for (;;) {
		/* a uevent wakes us at once; a slow look every 5 s in case
		 * one was missed */
		struct pollfd pfd = { nl, POLLIN, 0 };
		int r = poll(&pfd, nl >= 0 ? 1 : 0, 5000);
		if (r > 0) {
			char buf[4096];
			ssize_t n = recv(nl, buf, sizeof(buf) - 1, 0);
			if (n <= 0)
				continue;
			buf[n] = '\0';
			int hotplug = 0;
			for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
				if (strcmp(buf + i, "HOTPLUG=1") == 0)
					hotplug = 1;
			if (!hotplug)
				continue;
		}
		follow(&cur);
	}
}
