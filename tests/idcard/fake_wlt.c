/* A stand-in for libwlt2bmp.so: `int unpack(char *wlt, char *bmp, int save)` writes a 102x126
 * 24-bit BMP (38862 bytes) whose colour depends on the first photo byte after the WLT header; it
 * fails (returns -1) when the input does not start with the WLT magic "WLf". */
#include <string.h>

static void le32(unsigned char *p, unsigned int v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

int unpack(char *wlt, char *bmp, int save) {
    const int w = 102, h = 126, row = (w * 3 + 3) / 4 * 4;
    unsigned char *b = (unsigned char *)bmp;
    (void)save;
    if (memcmp(wlt, "WLf", 3) != 0) return -1;
    memset(b, 0, 54 + row * h);
    b[0] = 'B'; b[1] = 'M'; le32(b + 2, 54 + row * h); le32(b + 10, 54);
    le32(b + 14, 40); le32(b + 18, w); le32(b + 22, h); b[26] = 1; b[28] = 24; le32(b + 34, row * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *px = b + 54 + y * row + x * 3;
            px[0] = (unsigned char)wlt[8]; px[1] = (unsigned char)(x * 2); px[2] = (unsigned char)(y * 2);
        }
    return 1;
}
