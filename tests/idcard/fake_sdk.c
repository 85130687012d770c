/* A stand-in for a reader vendor's SDK (sdtapi.dll- and termb.dll-style exports), compiled by the
 * tests with the system C compiler. It exports the vendor function signatures plus fake_* controls
 * that place and lift a card and inject failures. termb-style reads write wz.txt / xp.wlt beside
 * the library, as the vendor DLLs do. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static unsigned char g_text[256];
static unsigned char g_photo[4096];
static unsigned int g_photo_len;
static int g_present, g_found, g_port = -1, g_comm, g_fail_next, g_pull_on_read;

void fake_reset(void) { g_present = g_found = g_comm = g_fail_next = g_pull_on_read = 0; g_port = -1; }
void fake_insert(const unsigned char *text, const unsigned char *photo, unsigned int photo_len) {
    memcpy(g_text, text, 256);
    if (photo_len > sizeof g_photo) photo_len = sizeof g_photo;
    memcpy(g_photo, photo, photo_len);
    g_photo_len = photo_len;
    g_present = 1;
    g_found = 0;
}
void fake_remove(void) { g_present = g_found = 0; }
void fake_fail_next(int code) { g_fail_next = code; }
void fake_pull_on_read(void) { g_pull_on_read = 1; }

static int valid_port(int port) { return (port >= 1 && port <= 16) || (port >= 1001 && port <= 1016); }

/* ---- sdtapi style: results are SAM status codes ---- */
int SDT_OpenPort(int port) { if (!valid_port(port)) return 0x01; g_port = port; return 0x90; }
int SDT_ClosePort(int port) { (void)port; g_port = -1; return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *info, int if_open) {
    (void)if_open;
    if (port != g_port) return 0x01;
    memset(info, 0, 4);
    if (g_present && !g_found) { g_found = 1; return 0x9F; }
    return 0x80;
}
int SDT_SelectIDCard(int port, unsigned char *info, int if_open) {
    (void)if_open;
    if (port != g_port) return 0x01;
    memset(info, 0, 8);
    return g_present && g_found ? 0x90 : 0x81;
}
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                    unsigned int *photo_len, int if_open) {
    (void)if_open;
    if (port != g_port) return 0x01;
    if (g_fail_next) { int c = g_fail_next; g_fail_next = 0; return c; }
    if (g_pull_on_read) { g_pull_on_read = 0; fake_remove(); return 0x41; }
    if (!g_present || !g_found) return 0x41;
    memcpy(text, g_text, 256);
    *text_len = 256;
    memcpy(photo, g_photo, g_photo_len);
    *photo_len = g_photo_len;
    return 0x90;
}

/* ---- termb style: 1 = success; files beside the library ---- */
static void out_path(char *buf, const char *name) {
    Dl_info info;
    char self[PATH_MAX];
    dladdr((void *)out_path, &info);
    snprintf(self, sizeof self, "%s", info.dli_fname);
    snprintf(buf, PATH_MAX, "%s/%s", dirname(self), name);
}
static int write_file(const char *name, const unsigned char *data, unsigned int len) {
    char path[PATH_MAX];
    FILE *f;
    out_path(path, name);
    f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, len, f);
    fclose(f);
    return 1;
}
int CVR_InitComm(int port) { if (!valid_port(port)) return 2; g_comm = 1; return 1; }
int CVR_CloseComm(void) { g_comm = 0; return 1; }
int CVR_Authenticate(void) { if (!g_comm) return 4; return g_present ? 1 : 2; }
int CVR_Read_Content(int active) {
    (void)active;
    if (!g_comm) return 4;
    if (g_fail_next) { int c = g_fail_next; g_fail_next = 0; return c; }
    if (g_pull_on_read) { g_pull_on_read = 0; fake_remove(); return 0; }
    if (!g_present) return 0;
    if (!write_file("wz.txt", g_text, 256)) return 0;
    if (!write_file("xp.wlt", g_photo, g_photo_len)) return 0;
    return 1;
}
