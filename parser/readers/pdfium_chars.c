/* The per-glyph calls of the pdfium glyph reader (parser/readers/pdfium.py), made in one loop.

   Reading a text page through ctypes costs about a microsecond per call, and the reader needs
   several calls per glyph; here the same calls are made from C and their answers written to
   arrays, one call from Python per page. Nothing is decided here: the reader applies its rules
   to the arrays exactly as it does to the answers of its own ctypes calls (its fallback when
   this file is not built), so both paths give the same characters.

   pdfium is not linked: Python passes the addresses of pypdfium2's own pdfium functions in
   ``struct api``, so this file declares the few prototypes it needs itself and builds with a
   bare C compiler (parser/readers/pdfium_build.py). */

#include <stddef.h>

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

/* The source this library was built from (its sha256, first 16 hex digits): the reader loads
   it only if that is the pdfium_chars.c beside it, so an old build is never used. */
#ifndef PDFIUM_CHARS_SOURCE
#error "build with python -m parser.readers.pdfium_build, which names the source it builds"
#endif
const char *pdfium_chars_source(void)
{
    return PDFIUM_CHARS_SOURCE;
}
