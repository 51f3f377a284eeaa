/* The per-glyph calls of the pdfium glyph reader (parser/readers/pdfium.py), made in one loop.

   Reading a text page through ctypes costs about a microsecond per call, and the reader needs
   several calls per glyph; here the same calls are made from C and their answers written to
   arrays, one call from Python per page. Nothing is decided here: the reader applies its rules
   to the arrays exactly as it does to the answers of its own ctypes calls (its fallback when
   this file is not built), so both paths give the same characters.

   pdfium is not linked: Python passes the addresses of pypdfium2's own pdfium functions in
   ``struct api``, so this file declares the few prototypes it needs itself and builds with a
   bare C compiler (parser/readers/pdfium_build.py). */

#include <stdlib.h>
#include <string.h>

typedef struct {
    float left, top, right, bottom; /* FS_RECTF */
} rectf;

struct api {
    int (*loose_box)(void *text_page, int index, rectf *rect);          /* FPDFText_GetLooseCharBox */
    int (*origin)(void *text_page, int index, double *x, double *y);     /* FPDFText_GetCharOrigin */
    double (*font_size)(void *text_page, int index);                     /* FPDFText_GetFontSize */
    void *(*text_object)(void *text_page, int index);                    /* FPDFText_GetTextObject */
    void *(*font)(void *text_object);                                    /* FPDFTextObj_GetFont */
    int (*generated)(void *text_page, int index);                        /* FPDFText_IsGenerated */
    int (*unmapped)(void *text_page, int index);                         /* FPDFText_HasUnicodeMapError */
};

/* Glyphs [start, start + count) of ``text_page`` (indexes the caller took from
   FPDFText_CountChars, where these calls always answer): for glyph start + k, its loose box's
   left and right edges, its origin, font size, text object and that object's font, and what
   FPDFText_IsGenerated and FPDFText_HasUnicodeMapError say of it. Returns the count read. */
int pdfium_chars_read(const struct api *api, void *text_page, int start, int count,
                      float *left, float *right, double *origin_x, double *origin_y, double *size,
                      void **object, void **font, signed char *generated, signed char *unmapped)
{
    void *last_object = NULL, *last_font = NULL;
    int have_last = 0;
    rectf rect = {0, 0, 0, 0};
    double x = 0, y = 0;
    for (int k = 0; k < count; k++) {
        int i = start + k;
        api->loose_box(text_page, i, &rect);
        left[k] = rect.left;
        right[k] = rect.right;
        api->origin(text_page, i, &x, &y);
        origin_x[k] = x;
        origin_y[k] = y;
        size[k] = api->font_size(text_page, i);
        void *obj = api->text_object(text_page, i);
        object[k] = obj;
        if (!have_last || obj != last_object) {
            last_font = obj ? api->font(obj) : NULL;
            last_object = obj;
            have_last = 1;
        }
        font[k] = last_font;
        generated[k] = (signed char)api->generated(text_page, i);
        unmapped[k] = (signed char)api->unmapped(text_page, i);
    }
    return count;
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
