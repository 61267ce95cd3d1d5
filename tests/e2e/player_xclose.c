/* Test helper: asks an X11 window to close the way a window manager's close
 * button does (a WM_DELETE_WINDOW client message), which xdotool 3.2016
 * cannot do. Usage: player_xclose WINDOW_ID */
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s WINDOW_ID\n", argv[0]);
		return 2;
	}
	Display *dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "%s: cannot open display\n", argv[0]);
		return 1;
	}
	Window win = (Window)strtoul(argv[1], NULL, 0);
	XEvent ev;
	memset(&ev, 0, sizeof(ev));
	ev.xclient.type = ClientMessage;
	ev.xclient.window = win;
	ev.xclient.message_type = XInternAtom(dpy, "WM_PROTOCOLS", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = (long)XInternAtom(dpy, "WM_DELETE_WINDOW", False);
	ev.xclient.data.l[1] = CurrentTime;
	XSendEvent(dpy, win, False, NoEventMask, &ev);
	XSync(dpy, False);
	XCloseDisplay(dpy);
	return 0;
}
