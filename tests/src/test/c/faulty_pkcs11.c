/*
 * A PKCS#11 module that forwards every call to a real one (TOKENROLL_P11_TARGET, e.g. SoftHSM2) and makes one call
 * fail the way a card does: TOKENROLL_P11_FAULT="<function>:<CKR in hex>:<n>" fails the n-th call of that function
 * (C_GenerateKeyPair, C_SetAttributeValue, C_SignInit or C_CreateObject) with that return value, before the real
 * module sees it; every other call, and every later call of it, reaches the real token. A test fixture for
 * tokenroll's "a permanent token failure leaves nothing behind" tests, compiled by them with gcc.
 *
 * With TOKENROLL_P11_TRACE=<file> it also appends the wall-clock time (CLOCK_REALTIME, nanoseconds) of every
 * C_Initialize to that file: when a program first touched the token, for the card-insertion benchmark.
 *
 * Only the types it needs are declared here (the PKCS#11 2.40 function list layout: a version, then 68 function
 * pointers in the standard's order), so it builds without any PKCS#11 headers installed.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned long CK_RV;
typedef unsigned long CK_ULONG;
typedef struct { unsigned char major, minor; } CK_VERSION;
typedef struct { CK_VERSION version; void *f[68]; } CK_FUNCTION_LIST;
typedef CK_RV (*get_function_list_fn)(CK_FUNCTION_LIST **);

enum { F_INITIALIZE = 0, F_GET_FUNCTION_LIST = 3, F_CREATE_OBJECT = 20, F_SET_ATTRIBUTE_VALUE = 25, F_SIGN_INIT = 42,
       F_GENERATE_KEY_PAIR = 59 };

static CK_FUNCTION_LIST real;
static CK_FUNCTION_LIST proxy;
static int fault_function = -1;
static CK_RV fault_rv;
static long fault_call;
static long calls;

static int fail_now(int function) {
  if (function != fault_function) {
    return 0;
  }
  return __sync_add_and_fetch(&calls, 1) == fault_call;
}

static CK_RV initialize(void *args) {
  const char *trace = getenv("TOKENROLL_P11_TRACE");
  if (trace != NULL) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    FILE *f = fopen(trace, "a");
    if (f != NULL) {
      fprintf(f, "%lld\n", (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
      fclose(f);
    }
  }
  return ((CK_RV (*)(void *)) real.f[F_INITIALIZE])(args);
}

static CK_RV create_object(CK_ULONG s, void *t, CK_ULONG n, CK_ULONG *h) {
  if (fail_now(F_CREATE_OBJECT)) return fault_rv;
  return ((CK_RV (*)(CK_ULONG, void *, CK_ULONG, CK_ULONG *)) real.f[F_CREATE_OBJECT])(s, t, n, h);
}

static CK_RV set_attribute_value(CK_ULONG s, CK_ULONG o, void *t, CK_ULONG n) {
  if (fail_now(F_SET_ATTRIBUTE_VALUE)) return fault_rv;
  return ((CK_RV (*)(CK_ULONG, CK_ULONG, void *, CK_ULONG)) real.f[F_SET_ATTRIBUTE_VALUE])(s, o, t, n);
}

static CK_RV sign_init(CK_ULONG s, void *m, CK_ULONG k) {
  if (fail_now(F_SIGN_INIT)) return fault_rv;
  return ((CK_RV (*)(CK_ULONG, void *, CK_ULONG)) real.f[F_SIGN_INIT])(s, m, k);
}

static CK_RV generate_key_pair(CK_ULONG s, void *m, void *pub, CK_ULONG npub, void *priv, CK_ULONG npriv,
                               CK_ULONG *hpub, CK_ULONG *hpriv) {
  if (fail_now(F_GENERATE_KEY_PAIR)) return fault_rv;
  return ((CK_RV (*)(CK_ULONG, void *, void *, CK_ULONG, void *, CK_ULONG, CK_ULONG *, CK_ULONG *))
      real.f[F_GENERATE_KEY_PAIR])(s, m, pub, npub, priv, npriv, hpub, hpriv);
}

static void parse_fault(void) {
  const char *spec = getenv("TOKENROLL_P11_FAULT");
  char name[64];
  unsigned long rv;
  long n;
  if (spec == NULL || sscanf(spec, "%63[^:]:%lx:%ld", name, &rv, &n) != 3) {
    return;
  }
  fault_rv = rv;
  fault_call = n;
  if (strcmp(name, "C_CreateObject") == 0) fault_function = F_CREATE_OBJECT;
  else if (strcmp(name, "C_SetAttributeValue") == 0) fault_function = F_SET_ATTRIBUTE_VALUE;
  else if (strcmp(name, "C_SignInit") == 0) fault_function = F_SIGN_INIT;
  else if (strcmp(name, "C_GenerateKeyPair") == 0) fault_function = F_GENERATE_KEY_PAIR;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **list) {
  if (proxy.f[0] == NULL) {
    const char *target = getenv("TOKENROLL_P11_TARGET");
    void *lib = target == NULL ? NULL : dlopen(target, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
      return 5; /* CKR_GENERAL_ERROR */
    }
    CK_FUNCTION_LIST *r;
    CK_RV rv = ((get_function_list_fn) dlsym(lib, "C_GetFunctionList"))(&r);
    if (rv != 0) {
      return rv;
    }
    real = *r;
    proxy = *r;
    proxy.f[F_INITIALIZE] = (void *) initialize;
    proxy.f[F_GET_FUNCTION_LIST] = (void *) C_GetFunctionList;
    proxy.f[F_CREATE_OBJECT] = (void *) create_object;
    proxy.f[F_SET_ATTRIBUTE_VALUE] = (void *) set_attribute_value;
    proxy.f[F_SIGN_INIT] = (void *) sign_init;
    proxy.f[F_GENERATE_KEY_PAIR] = (void *) generate_key_pair;
    parse_fault();
  }
  *list = &proxy;
  return 0;
}
