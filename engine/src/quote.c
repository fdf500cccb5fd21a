/* quote.c — untrusted text made safe for a one-line message: a weights file may hold
 * a tensor "name" with a newline or an ANSI escape in it, and a path may hold anything
 * but NUL.  Messages show such text through gs__quote, never raw. */
#include "internal.h"
#include "io_internal.h"

#include <stdio.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at p (at most n bytes) and its code point;
 * 0 if the bytes there are not one (overlong forms and surrogates included). */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp) {
    size_t len, i;
    unsigned long c;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) len = 2, c = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF) len = 3, c = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4) len = 4, c = p[0] & 0x07u;
    else return 0;
    if (n < len) return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Code points a terminal may act on: C1 controls (CSI is U+009B), line and paragraph
 * separators, bidi marks, embeddings and isolates, and the BOM. */
static int invisible(unsigned long c) {
    return (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F || c == 0x2028 ||
           c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0xFEFF;
}

char *gs__quote(char *dst, size_t cap, const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    char piece[16];
    if (cap == 0) return dst;
    while (i < len) {
        unsigned long cp = 0;
        size_t step = 1, plen;
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
            piece[0] = (char)c;
            plen = 1;
        } else if (c == '\\' || c == '\'') {
            piece[0] = '\\';
            piece[1] = (char)c;
            plen = 2;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            piece[0] = '\\';
            piece[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            plen = 2;
        } else if (c >= 0x80 && (step = utf8_seq(p + i, len - i, &cp)) > 0) {
            if (invisible(cp)) {
                plen = (size_t)snprintf(piece, sizeof piece, "\\u%04lx", cp);
            } else {
                memcpy(piece, p + i, step);
                plen = step;
            }
        } else {
            step = 1;
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", c);
        }
        /* keep room for "..." and the NUL in case more follows */
        if (o + plen + (i + step < len ? 4 : 1) > cap) {
            if (cap >= 4 && o + 4 > cap) o = cap - 4;
            if (cap >= 4) memcpy(dst + o, "...", 3), o += 3;
            break;
        }
        memcpy(dst + o, piece, plen);
        o += plen;
        i += step;
    }
    dst[o < cap ? o : cap - 1] = '\0';
    return dst;
}

char *gs__show_path(char *dst, size_t cap, const char *path) {
    size_t n = strlen(path), start = 0;
    if (n > 100) {
        start = n - 96;
        /* begin on a character, not inside one */
        while (start < n && ((unsigned char)path[start] & 0xC0) == 0x80) start++;
        if (cap > 3) {
            memcpy(dst, "...", 3);
            gs__quote(dst + 3, cap - 3, path + start, n - start);
            return dst;
        }
    }
    return gs__quote(dst, cap, path + start, n - start);
}

char *gs_quote(char *dst, size_t cap, const char *s, size_t len) {
    if (!dst || cap == 0) return dst;
    if (!s) {
        dst[0] = '\0';
        return dst;
    }
    return gs__quote(dst, cap < 8 ? 1 : cap, s, len);
}
