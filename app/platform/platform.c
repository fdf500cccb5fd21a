/* platform.c — SDL video, the window, and SDL_Event -> app_input.  Keys go through
 * the command table (commands_for_key); pointer positions are turned into output
 * pixels, so the rest of the app never thinks about high-DPI. */
#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE */
#include "platform/platform.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Keeping the GL driver loaded ------------------------------------------------------ */

/* The GL driver (Mesa's swrast_dri.so, iris_dri.so, ..., libgallium, and the vendor
 * library libGLX_mesa or libGLX_nvidia that loads it) is unloaded when
 * the GL context goes at quit.  What it keeps in its globals is then unreachable, and
 * LeakSanitizer reports it from an "<unknown module>" it can neither name nor
 * suppress: every ASan run of the window ended in exit 134.  Pinned (RTLD_NODELETE),
 * the driver stays mapped to the end, its memory stays reachable, and a leak that is
 * reported is a real one.  Nothing changes for a user: the process is ending anyway. */
static int pin_if_driver(struct dl_phdr_info *info, size_t size, void *ud) {
    const char *name = info->dlpi_name;
    (void)size;
    (void)ud;
    if (name && (strstr(name, "_dri.so") || strstr(name, "libgallium") || strstr(name, "libGLX_")))
        (void)dlopen(name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    return 0;
}

static int env_set(const char *name) {
    const char *v = getenv(name);
    return v && *v;
}

static int user_driver(void) { return env_set("SDL_VIDEODRIVER"); }

static int have_display(void) {
    if (user_driver()) return 1; /* the user chose a driver: let SDL judge */
    return env_set("DISPLAY") || env_set("WAYLAND_DISPLAY");
}

/* SDL runs, but on a driver nobody can see (not asked for by the user). */
static int invisible_driver(void) {
    const char *d = SDL_GetCurrentVideoDriver();
    return !user_driver() && d && (!strcmp(d, "offscreen") || !strcmp(d, "dummy") ||
                                   !strcmp(d, "evdev"));
}

static void update_size(platform *p) {
    SDL_GetWindowSize(p->win, &p->win_w, &p->win_h);
    if (SDL_GetRendererOutputSize(p->r, &p->out_w, &p->out_h) != 0) {
        p->out_w = p->win_w;
        p->out_h = p->win_h;
    }
    p->dpi = p->win_w > 0 ? (double)p->out_w / p->win_w : 1.0;
}

int platform_open(platform *p, const options *o, char *err, size_t err_len) {
    int w = o->width > 0 ? o->width : 1600, h = o->height > 0 ? o->height : 1000;
    SDL_Rect usable;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    memset(p, 0, sizeof *p);
    if (!have_display()) return 2;
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    /* only the drivers the environment names: when no server answers there, SDL would
       otherwise fall back to its invisible offscreen driver and run forever unseen
       (a user's SDL_VIDEODRIVER still wins: the environment beats this hint) */
    SDL_SetHint(SDL_HINT_VIDEODRIVER, !env_set("WAYLAND_DISPLAY") ? "x11"
                                      : !env_set("DISPLAY")       ? "wayland"
                                                                  : "wayland,x11");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0 || invisible_driver()) {
        const char *d = env_set("WAYLAND_DISPLAY") ? "WAYLAND_DISPLAY" : "DISPLAY";
        char shown[128];
        snprintf(err, err_len, "no display answers at %s='%s' (%s); start one there, unset %s, "
                 "or use --headless --screenshot out.png", d,
                 gs_quote(shown, sizeof shown, getenv(d), strlen(getenv(d))),
                 SDL_GetError()[0] ? SDL_GetError() : "SDL chose no visible driver", d);
        if (SDL_WasInit(SDL_INIT_VIDEO)) SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return 1;
    }
    /* no bigger than the screen, when no size was asked for */
    if (o->width <= 0 && SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0) {
        if (w > usable.w * 9 / 10) w = usable.w * 9 / 10;
        if (h > usable.h * 9 / 10) h = usable.h * 9 / 10;
        if (w < 1024) w = 1024;
        if (h < 640) h = 640;
    }
    if (o->fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    p->win = SDL_CreateWindow("gatescope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!p->win) {
        snprintf(err, err_len, "cannot open a window: %s", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return 1;
    }
    SDL_SetWindowMinimumSize(p->win, 1024, 640);
    p->r = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!p->r) {
        p->r = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
        p->software = 1;
    }
    if (!p->r) {
        snprintf(err, err_len, "cannot create a renderer: %s", SDL_GetError());
        SDL_DestroyWindow(p->win);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        p->win = NULL;
        return 1;
    }
    dl_iterate_phdr(pin_if_driver, NULL); /* the renderer has loaded its GL driver */
    p->fullscreen = o->fullscreen;
    update_size(p);
    SDL_StopTextInput(); /* SDL starts with text input on; only a text field wants it */
    return 0;
}

void platform_set_text_mode(platform *p, int on) {
    if (on == p->text_mode) return;
    if (on) SDL_StartTextInput();
    else SDL_StopTextInput();
    p->text_mode = on;
}

void platform_close(platform *p) {
    if (p->r) SDL_DestroyRenderer(p->r);
    if (p->win) SDL_DestroyWindow(p->win);
    if (p->win) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    memset(p, 0, sizeof *p);
}

void platform_set_fullscreen(platform *p, int on) {
    if (on == p->fullscreen || !p->win) return;
    if (on) SDL_GetWindowSize(p->win, &p->saved_w, &p->saved_h);
    SDL_SetWindowFullscreen(p->win, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    /* without a window manager X11 keeps the fullscreen size: put the old one back */
    if (!on && p->saved_w > 0) SDL_SetWindowSize(p->win, p->saved_w, p->saved_h);
    p->fullscreen = on;
    update_size(p);
}

app_input platform_size_input(platform *p) {
    app_input in;
    memset(&in, 0, sizeof in);
    update_size(p);
    in.kind = IN_RESIZE;
    in.x = p->out_w;
    in.y = p->out_h;
    in.dpi = p->dpi;
    return in;
}

/* ---- Keys ------------------------------------------------------------------------- */

static app_key key_of(SDL_Keycode k, int *mods) {
    if (k >= SDLK_a && k <= SDLK_z) return KEY_LETTER(k - SDLK_a + 'a');
    if (k >= SDLK_1 && k <= SDLK_8) return KEY_DIGIT(k - SDLK_1 + 1);
    if (k >= SDLK_KP_1 && k <= SDLK_KP_8) return KEY_DIGIT(k - SDLK_KP_1 + 1);
    switch (k) {
    case SDLK_SPACE: return KEY_SPACE;
    case SDLK_LEFT: return KEY_LEFT;
    case SDLK_RIGHT: return KEY_RIGHT;
    case SDLK_UP: return KEY_UP;
    case SDLK_DOWN: return KEY_DOWN;
    case SDLK_HOME: return KEY_HOME;
    case SDLK_END: return KEY_END;
    case SDLK_LEFTBRACKET: return KEY_LBRACKET;
    case SDLK_RIGHTBRACKET: return KEY_RBRACKET;
    case SDLK_TAB: return KEY_TAB;
    case SDLK_ESCAPE: return KEY_ESCAPE;
    case SDLK_F1: return KEY_F1;
    case SDLK_F11: return KEY_F11;
    case SDLK_F2: return KEY_F2;
    case SDLK_F5: return KEY_F5;
    case SDLK_F9: return KEY_F9;
    case SDLK_F12: return KEY_F12;
    case SDLK_PAGEUP: return KEY_PAGEUP;
    case SDLK_PAGEDOWN: return KEY_PAGEDOWN;
    case SDLK_RETURN: case SDLK_KP_ENTER: return KEY_RETURN;
    case SDLK_BACKSPACE: return KEY_BACKSPACE;
    case SDLK_DELETE: return KEY_DELETE;
    case SDLK_QUESTION: *mods &= ~MOD_SHIFT; return KEY_QUESTION;
    case SDLK_SLASH:
        if (*mods & MOD_SHIFT) {
            *mods &= ~MOD_SHIFT;
            return KEY_QUESTION;
        }
        return KEY_NONE;
    default: return KEY_NONE;
    }
}

/* ---- Events ----------------------------------------------------------------------- */

static int translate(platform *p, const SDL_Event *e, app_input *in) {
    memset(in, 0, sizeof *in);
    switch (e->type) {
    case SDL_QUIT:
        in->kind = IN_QUIT;
        return 1;
    case SDL_KEYDOWN: {
        int mods = 0, arg = 0;
        SDL_Keymod m = (SDL_Keymod)e->key.keysym.mod;
        app_key k;
        if (m & KMOD_SHIFT) mods |= MOD_SHIFT;
        if (m & KMOD_CTRL) mods |= MOD_CTRL;
        k = key_of(e->key.keysym.sym, &mods);
        if (p->text_mode && !(mods & MOD_CTRL)) { /* the field's keys; letters come as text */
            if (k != KEY_RETURN && k != KEY_ESCAPE && k != KEY_BACKSPACE && k != KEY_DELETE &&
                k != KEY_LEFT && k != KEY_RIGHT && k != KEY_HOME && k != KEY_END)
                return 0;
            in->kind = IN_KEY;
            in->key = k;
            in->mods = mods;
            return 1;
        }
        in->cmd = commands_for_key(k, mods, &arg);
        if (in->cmd == CMD_NONE) return 0;
        /* holding a key repeats stepping, not toggles */
        if (e->key.repeat && in->cmd != CMD_STEP && in->cmd != CMD_STEP_BACK &&
            in->cmd != CMD_BACK_WALK && in->cmd != CMD_BACK_UNWALK && in->cmd != CMD_UNIT)
            return 0;
        in->kind = IN_COMMAND;
        in->arg = arg;
        return 1;
    }
    case SDL_MOUSEMOTION:
        in->kind = IN_POINTER_MOVE;
        in->x = (int)(e->motion.x * p->dpi);
        in->y = (int)(e->motion.y * p->dpi);
        return 1;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        in->kind = e->type == SDL_MOUSEBUTTONDOWN ? IN_POINTER_DOWN : IN_POINTER_UP;
        in->x = (int)(e->button.x * p->dpi);
        in->y = (int)(e->button.y * p->dpi);
        in->button = e->button.button == SDL_BUTTON_LEFT ? 1 : e->button.button == SDL_BUTTON_RIGHT ? 3 : 2;
        {
            SDL_Keymod m = SDL_GetModState();
            in->mods = ((m & KMOD_SHIFT) ? MOD_SHIFT : 0) | ((m & KMOD_CTRL) ? MOD_CTRL : 0);
        }
        return 1;
    case SDL_DROPFILE: { /* a lesson, a weights file or folder: the session opens it */
        char *slot = p->drop[p->drop_next];
        int fits = e->drop.file && strlen(e->drop.file) < sizeof p->drop[0];
        if (fits) snprintf(slot, sizeof p->drop[0], "%s", e->drop.file);
        SDL_free(e->drop.file);
        if (!fits) return 0;
        p->drop_next = (p->drop_next + 1) % 4;
        in->kind = IN_DROP;
        in->path = slot;
        return 1;
    }
    case SDL_TEXTINPUT:
        if (!p->text_mode) return 0;
        in->kind = IN_TEXT;
        snprintf(in->text, sizeof in->text, "%s", e->text.text);
        return 1;
    case SDL_MOUSEWHEEL:
        in->kind = IN_WHEEL;
        in->dy = e->wheel.y;
        return 1;
    case SDL_RENDER_TARGETS_RESET: /* the kept frame is gone (Direct3D, some drivers) */
    case SDL_RENDER_DEVICE_RESET:  /* every texture is */
        in->kind = IN_RENDER_RESET;
        in->arg = e->type == SDL_RENDER_DEVICE_RESET;
        return 1;
    case SDL_WINDOWEVENT:
        switch (e->window.event) {
        case SDL_WINDOWEVENT_LEAVE:
            in->kind = IN_POINTER_LEAVE;
            return 1;
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESIZED:
        case SDL_WINDOWEVENT_DISPLAY_CHANGED:
            *in = platform_size_input(p);
            return 1;
        default: return 0;
        }
    default: return 0;
    }
}

int platform_poll(platform *p, app_input *out, int max, int wait_ms, int *seen) {
    SDL_Event e;
    int n = 0, drops = 0;
    *seen = 0;
    if (wait_ms > 0 && !SDL_PollEvent(NULL)) SDL_WaitEventTimeout(NULL, wait_ms);
    while (n < max && SDL_PollEvent(&e)) {
        (*seen)++;
        if (translate(p, &e, &out[n]) && out[n++].kind == IN_DROP && ++drops == 4) break;
    }
    return n;
}
