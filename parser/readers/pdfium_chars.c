/* The pdfium engine's loops over glyphs and page objects (parser/readers/pdfium.py), in C.

   Reading a text page through ctypes costs about a microsecond per call, and the reader needs
   several calls per glyph; here the same calls are made, and the same rules applied to their
   answers, in one call from Python per page. Each function below names the Python method it
   stands for (kept as the fallback where this file is not built); both must give the same
   characters and edges, value for value (tests/test_pdfium_helper.py reads every test PDF
   both ways): the same calls with the same arguments, the same double arithmetic in the same
   order (built with -ffp-contract=off: no fused multiply-add).

   pdfium is not linked: Python passes the addresses of pypdfium2's own pdfium functions in
   ``struct api`` and ``struct edge_api``, so this file declares the few prototypes it needs
   itself and builds with a bare C compiler (parser/readers/pdfium_build.py). */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float left, top, right, bottom; /* FS_RECTF */
} rectf;

struct api {
    int (*loose_box)(void *text_page, int index, rectf *rect);           /* FPDFText_GetLooseCharBox */
    int (*origin)(void *text_page, int index, double *x, double *y);      /* FPDFText_GetCharOrigin */
    double (*font_size)(void *text_page, int index);                      /* FPDFText_GetFontSize */
    void *(*text_object)(void *text_page, int index);                     /* FPDFText_GetTextObject */
    void *(*font)(void *text_object);                                     /* FPDFTextObj_GetFont */
    int (*generated)(void *text_page, int index);                         /* FPDFText_IsGenerated */
    int (*unmapped)(void *text_page, int index);                          /* FPDFText_HasUnicodeMapError */
    int (*descent)(void *font, float size, float *descent);               /* FPDFFont_GetDescent */
    int (*glyph_width)(void *font, uint32_t glyph, float size, float *width); /* FPDFFont_GetGlyphWidth */
};

/* ---------------------------------------------------------------- a document's fonts */

struct font_entry {
    void *font;
    int check; /* HasUnicodeMapError of the first glyph met in the font: check glyph by glyph */
};

struct size_entry {
    void *font;
    double size, descent;
};

struct width_entry {
    void *font;
    double size, advance;
    uint32_t code;
    int used;
};

/* What _Chars keeps per document in PdfiumSource.fonts and .by_font_size: pdfium keeps a
   document's fonts until it is closed, so their addresses name them until then. */
struct state {
    struct font_entry *fonts;
    long nfonts, fonts_room;
    struct size_entry *sizes;
    long nsizes, sizes_room;
    struct width_entry *widths;
    long nwidths, widths_room; /* open addressing; widths_room a power of two */
};

void *pdfium_state_new(void)
{
    return calloc(1, sizeof(struct state));
}

void pdfium_state_free(void *p)
{
    struct state *st = p;
    if (!st)
        return;
    free(st->fonts);
    free(st->sizes);
    free(st->widths);
    free(st);
}

long pdfium_state_fonts(void *p)
{
    return ((struct state *)p)->nfonts;
}

void *pdfium_state_font(void *p, long k)
{
    struct state *st = p;
    return k >= 0 && k < st->nfonts ? st->fonts[k].font : NULL;
}

static void *grow(void *items, long *room, long need, size_t size)
{
    /* ``items`` with room for ``need`` (the same block while it has), or NULL when memory runs out */
    if (need <= *room)
        return items;
    long more = *room ? 2 * *room : 16;
    while (more < need)
        more *= 2;
    void *bigger = realloc(items, (size_t)more * size);
    if (bigger)
        *room = more;
    return bigger;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t width_hash(void *font, double size, uint32_t code)
{
    uint64_t bits;
    memcpy(&bits, &size, sizeof bits);
    return mix((uint64_t)(uintptr_t)font ^ mix(bits) ^ ((uint64_t)code << 17));
}

/* _Chars._advance: a glyph's advance width in its font at its size, -1 where the font
   cannot say; remembered per font, size and character. Returns 0 when memory runs out. */
static int advance_of(const struct api *api, struct state *st, void *font, double size, uint32_t code,
                      double *advance)
{
    if (!font) {
        *advance = -1.0;
        return 1;
    }
    if (2 * (st->nwidths + 1) > st->widths_room) {
        long room = st->widths_room ? 2 * st->widths_room : 1024;
        struct width_entry *bigger = calloc((size_t)room, sizeof *bigger);
        if (!bigger)
            return 0;
        for (long k = 0; k < st->widths_room; k++) {
            struct width_entry *w = &st->widths[k];
            if (!w->used)
                continue;
            uint64_t h = width_hash(w->font, w->size, w->code) & (uint64_t)(room - 1);
            while (bigger[h].used)
                h = (h + 1) & (uint64_t)(room - 1);
            bigger[h] = *w;
        }
        free(st->widths);
        st->widths = bigger;
        st->widths_room = room;
    }
    uint64_t mask = (uint64_t)(st->widths_room - 1), h = width_hash(font, size, code) & mask;
    while (st->widths[h].used) {
        struct width_entry *w = &st->widths[h];
        if (w->font == font && w->size == size && w->code == code) {
            *advance = w->advance;
            return 1;
        }
        h = (h + 1) & mask;
    }
    float width = 0;
    int ok = api->glyph_width(font, code, (float)size, &width);
    double found = ok && width >= 0 ? (double)width : -1.0;
    struct width_entry *w = &st->widths[h];
    w->font = font;
    w->size = size;
    w->code = code;
    w->advance = found;
    w->used = 1;
    st->nwidths++;
    *advance = found;
    return 1;
}

/* ---------------------------------------------------------------- a page's text objects */

struct object_entry {
    void *key;
    int used, check;
    long font_index;
    void *font;
    double size, top, bottom;
};

/* _Chars._object / _object_at: what the glyphs of one text object share, from its first
   glyph ``i``. Returns 0 when memory runs out. */
static int object_info(const struct api *api, struct state *st, void *text_page, int i, void *key, double page_top,
                       struct object_entry *out)
{
    double size = api->font_size(text_page, i);
    void *font = key ? api->font(key) : NULL;
    long f = 0;
    while (f < st->nfonts && st->fonts[f].font != font)
        f++;
    if (f == st->nfonts) {
        struct font_entry *fonts = grow(st->fonts, &st->fonts_room, st->nfonts + 1, sizeof *st->fonts);
        if (!fonts)
            return 0;
        st->fonts = fonts;
        st->fonts[f].font = font;
        st->fonts[f].check = api->unmapped(text_page, i) == 1;
        st->nfonts++;
    }
    long z = 0;
    while (z < st->nsizes && !(st->sizes[z].font == font && st->sizes[z].size == size))
        z++;
    if (z == st->nsizes) {
        struct size_entry *sizes = grow(st->sizes, &st->sizes_room, st->nsizes + 1, sizeof *st->sizes);
        if (!sizes)
            return 0;
        st->sizes = sizes;
        float descent = 0;
        if (!(font && api->descent(font, (float)size, &descent)))
            descent = 0;
        st->sizes[z].font = font;
        st->sizes[z].size = size;
        st->sizes[z].descent = (double)descent;
        st->nsizes++;
    }
    double x = 0, y = 0;
    api->origin(text_page, i, &x, &y);
    out->key = key;
    out->used = 1;
    out->check = st->fonts[f].check;
    out->font_index = f;
    out->font = font;
    out->size = size;
    out->bottom = page_top - y - st->sizes[z].descent;
    out->top = out->bottom - size;
    return 1;
}

/* _Chars.read's loop: the glyphs of ``text_page`` (``codes``: its text, one code point per
   glyph, n of them) as pdfminer sees them. Per character kept (at most ``room``, and no more
   once past ``cap``): its code (a hyphen for pdfium's line-end marks), x0, x1, top, bottom,
   font size, the index of its font in the state, its text object, and flags: 1 for a glyph
   to be named (cid:N), 2 for a space glyph pdfium kept. Also where pdfium inferred spaces
   (the index of the character after, and the left of pdfium's box) and line ends (the index
   of the character opening the next line). Returns the count of characters, or -1 when
   memory runs out. */
long pdfium_glyphs_read(const struct api *api, struct state *st, void *text_page, const uint32_t *codes, long n,
                        double page_top, long cap, long room, uint32_t *out_code, double *x0s, double *x1s,
                        double *tops, double *bottoms, double *sizes, long *fonts, void **keys,
                        signed char *flags, long *inferred_at, double *inferred_left, long *n_inferred,
                        long *breaks, long *n_breaks)
{
    long m = 0, ni = 0, nb = 0;
    long objects_room = 64; /* at most one new text object per character kept: never over half full */
    while (objects_room < 2 * room + 2)
        objects_room *= 2;
    struct object_entry *objects = calloc((size_t)objects_room, sizeof *objects);
    struct object_entry null_object; /* the glyphs of no text object */
    if (!objects)
        return -1;
    null_object.used = 0;
    struct object_entry *info = NULL;
    void *last_key = NULL;
    int have_last = 0;
    rectf rect = {0, 0, 0, 0};
    for (long i = 0; i < n && m < room; i++) {
        uint32_t code = codes[i];
        signed char flag = 0;
        if (code == ' ' || code == '\r' || code == '\n' || code == 0x02 || code == 0xFFFE) {
            if (code != 0x02 && code != 0xFFFE && (code != ' ' || api->generated(text_page, (int)i))) {
                if (code == ' ') {
                    api->loose_box(text_page, (int)i, &rect);
                    inferred_at[ni] = m;
                    inferred_left[ni++] = (double)rect.left;
                } else if (code == '\n') {
                    breaks[nb++] = m;
                }
                continue;
            }
            if (code == ' ')
                flag = 2;
            else
                code = '-';
        }
        api->loose_box(text_page, (int)i, &rect);
        void *key = api->text_object(text_page, (int)i);
        if (!have_last || key != last_key) {
            struct object_entry *slot;
            if (!key) {
                slot = &null_object;
            } else {
                uint64_t mask = (uint64_t)(objects_room - 1), h = mix((uint64_t)(uintptr_t)key) & mask;
                while (objects[h].used && objects[h].key != key)
                    h = (h + 1) & mask;
                slot = &objects[h];
            }
            if (!slot->used && !object_info(api, st, text_page, (int)i, key, page_top, slot)) {
                free(objects);
                return -1;
            }
            info = slot;
            last_key = key;
            have_last = 1;
        }
        double advance;
        if (!advance_of(api, st, info->font, info->size, code, &advance)) {
            free(objects);
            return -1;
        }
        double x0 = (double)rect.left, x1 = (double)rect.right;
        if (0 <= advance && advance < x1 - x0 - 0.01) { /* ink overhangs the advance: the origin, then the advance */
            double x = 0, y = 0;
            api->origin(text_page, (int)i, &x, &y);
            x0 = x;
            x1 = x0 + advance;
        }
        if (info->check && api->unmapped(text_page, (int)i) == 1)
            flag |= 1;
        out_code[m] = code;
        x0s[m] = x0;
        x1s[m] = x1;
        tops[m] = info->top;
        bottoms[m] = info->bottom;
        sizes[m] = info->size;
        fonts[m] = info->font_index;
        keys[m] = key;
        flags[m] = flag;
        m++;
        if (m > cap)
            break;
    }
    free(objects);
    *n_inferred = ni;
    *n_breaks = nb;
    return m;
}

typedef struct {
    float a, b, c, d, e, f; /* FS_MATRIX */
} matrixf;

struct edge_api {
    int (*count_objects)(void *page);                      /* FPDFPage_CountObjects */
    void *(*page_object)(void *page, int index);           /* FPDFPage_GetObject */
    int (*form_count)(void *form);                         /* FPDFFormObj_CountObjects */
    void *(*form_object)(void *form, unsigned long index); /* FPDFFormObj_GetObject */
    int (*object_type)(void *object);                      /* FPDFPageObj_GetType */
    int (*matrix)(void *object, matrixf *matrix);          /* FPDFPageObj_GetMatrix */
    int (*count_segments)(void *path);                     /* FPDFPath_CountSegments */
    void *(*segment)(void *path, int index);               /* FPDFPath_GetPathSegment */
    int (*point)(void *segment, float *x, float *y);       /* FPDFPathSegment_GetPoint */
    int (*segment_type)(void *segment);                    /* FPDFPathSegment_GetType */
    int (*segment_close)(void *segment);                   /* FPDFPathSegment_GetClose */
    long path_kind, form_kind, line_to, move_to;           /* FPDF_PAGEOBJ_PATH, _FORM, FPDF_SEGMENT_LINETO, _MOVETO */
};

struct frame {
    void *owner;
    int is_form, count;
    double m[6];
};

static void compose(const double in[6], const double out[6], double m[6])
{
    /* _compose in pdfium.py, the same operations in the same order */
    m[0] = in[0] * out[0] + in[1] * out[2];
    m[1] = in[0] * out[1] + in[1] * out[3];
    m[2] = in[2] * out[0] + in[3] * out[2];
    m[3] = in[2] * out[1] + in[3] * out[3];
    m[4] = in[4] * out[0] + in[5] * out[2] + out[4];
    m[5] = in[4] * out[1] + in[5] * out[3] + out[5];
}

static void put(double *out, long cap, long n, const double p[2], const double q[2])
{
    if (n < cap) {
        out[4 * n] = p[0];
        out[4 * n + 1] = p[1];
        out[4 * n + 2] = q[0];
        out[4 * n + 3] = q[1];
    }
}

/* The straight segments of one path (curves only move the pen), in page coordinates: as
   PdfiumSource._path_edges. Returns the new count of segments found. */
static long path_edges(const struct edge_api *api, void *obj, const double m[6], double top, double *out, long cap,
                       long n)
{
    double start[2] = {0, 0}, pen[2] = {0, 0};
    int have_start = 0, have_pen = 0, pen_is_start = 0;
    int count = api->count_segments(obj);
    for (int s = 0; s < count; s++) {
        void *seg = api->segment(obj, s);
        float x = 0, y = 0;
        if (!seg || !api->point(seg, &x, &y))
            continue;
        double point[2] = {m[0] * (double)x + m[2] * (double)y + m[4], top - (m[1] * (double)x + m[3] * (double)y + m[5])};
        long kind = api->segment_type(seg);
        if (kind == api->line_to && have_pen)
            put(out, cap, n++, pen, point);
        pen[0] = point[0];
        pen[1] = point[1];
        have_pen = 1;
        pen_is_start = 0;
        if (kind == api->move_to) {
            start[0] = point[0];
            start[1] = point[1];
            have_start = 1;
            pen_is_start = 1; /* one point: Python's pen and start are then the same tuple */
        }
        if (api->segment_close(seg) && have_start && !pen_is_start && (pen[0] != start[0] || pen[1] != start[1])) {
            put(out, cap, n++, pen, start);
            pen[0] = start[0];
            pen[1] = start[1];
            pen_is_start = 1;
        }
    }
    return n;
}

/* Every straight segment of every path of ``page``, form XObjects included, as
   PdfiumSource._edges walks them (a stack of forms, each read to its end before the last
   one met is opened): four doubles per segment (from x, y to x, y) written to ``out`` while
   fewer than ``cap``. Returns the number found (more than ``cap``: ask again with room for
   them all), or -1 when memory runs out. */
long pdfium_edges_read(const struct edge_api *api, void *page, double top, double *out, long cap)
{
    long n = 0, depth = 0, room = 16;
    struct frame *stack = malloc(room * sizeof *stack);
    if (!stack)
        return -1;
    stack[0].owner = page;
    stack[0].is_form = 0;
    stack[0].count = api->count_objects(page);
    double identity[6] = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
    memcpy(stack[0].m, identity, sizeof identity);
    depth = 1;
    while (depth > 0) {
        struct frame f = stack[--depth];
        for (int k = 0; k < f.count; k++) {
            void *obj = f.is_form ? api->form_object(f.owner, (unsigned long)k) : api->page_object(f.owner, k);
            if (!obj)
                continue;
            long kind = api->object_type(obj);
            if (kind != api->path_kind && kind != api->form_kind)
                continue;
            matrixf mf;
            if (!api->matrix(obj, &mf))
                continue;
            double inner[6] = {mf.a, mf.b, mf.c, mf.d, mf.e, mf.f}, m[6];
            compose(inner, f.m, m);
            if (kind == api->form_kind) {
                if (depth == room) {
                    struct frame *more = realloc(stack, 2 * room * sizeof *stack);
                    if (!more) {
                        free(stack);
                        return -1;
                    }
                    stack = more;
                    room *= 2;
                }
                stack[depth].owner = obj;
                stack[depth].is_form = 1;
                stack[depth].count = api->form_count(obj);
                memcpy(stack[depth].m, m, sizeof m);
                depth++;
            } else {
                n = path_edges(api, obj, m, top, out, cap, n);
            }
        }
    }
    free(stack);
    return n;
}

/* The source this library was built from (its sha256, first 16 hex digits): the reader loads
   it only if that is the pdfium_chars.c beside it, so an old build is never used. */
#ifndef PDFIUM_CHARS_SOURCE
#error "build with python -m parser.readers.pdfium_build, which names the source it builds"
#endif
const char *pdfium_chars_source(void)
{
    return PDFIUM_CHARS_SOURCE;
}
