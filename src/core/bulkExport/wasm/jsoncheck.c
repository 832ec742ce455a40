// The NDJSON line check of src/core/bulkExport/jsonCheck.ts in C, compiled to WebAssembly with
// SIMD (build.sh). Same grammar, same answers (the tests hold both to JSON.parse); about 2.5×
// faster, mostly by passing over string contents 16 bytes at a time.
//
// Memory: the caller copies lines into `buffer()` (1 MiB) and the expected `"Type"` (with its
// quotes) into `expected()` (256 bytes), then calls `check` per line with offsets into buffer.
#include <stdint.h>
#include <wasm_simd128.h>

#define BUFFER_SIZE (1 << 20)
#define MAX_DEPTH 1000

// 16 spare bytes: the SIMD loads never cross `end`, but the spare keeps every load in bounds
static uint8_t input[BUFFER_SIZE + 16];
static uint8_t want[256];
static const uint8_t *const B = input;
static int32_t E;
static int32_t type_start, type_end;

static inline int32_t ws(int32_t i) {
  while (i < E) {
    uint8_t c = B[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    i++;
  }
  return i;
}

static inline int hex(uint8_t c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
static inline int digit(uint8_t c) { return c >= '0' && c <= '9'; }

static int32_t string(int32_t i) {
  const v128_t quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\'), space = wasm_i8x16_splat(0x20);
  i++;
  for (;;) {
    // plain string bytes (no quote, backslash or control character) 16 at a time
    while (i + 16 <= E) {
      v128_t v = wasm_v128_load(B + i);
      v128_t stop = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash)), wasm_u8x16_lt(v, space));
      uint32_t mask = wasm_i8x16_bitmask(stop);
      if (mask) {
        i += __builtin_ctz(mask);
        break;
      }
      i += 16;
    }
    if (i >= E) return -1;
    uint8_t c = B[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (i + 1 >= E) return -1;
      uint8_t x = B[i + 1];
      if (x == 'u') {
        if (i + 6 > E || !hex(B[i + 2]) || !hex(B[i + 3]) || !hex(B[i + 4]) || !hex(B[i + 5])) return -1;
        i += 6;
      } else if (x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' || x == 'n' || x == 'r' || x == 't') {
        i += 2;
      } else {
        return -1;
      }
    } else if (c < 0x20) {
      return -1;
    } else {
      i++;
    }
  }
}

static int32_t number(int32_t i) {
  if (i < E && B[i] == '-') i++;
  if (i >= E) return -1;
  if (B[i] == '0') {
    i++;
  } else if (B[i] >= '1' && B[i] <= '9') {
    i++;
    while (i < E && digit(B[i])) i++;
  } else {
    return -1;
  }
  if (i < E && B[i] == '.') {
    i++;
    if (i >= E || !digit(B[i])) return -1;
    while (i < E && digit(B[i])) i++;
  }
  if (i < E && (B[i] == 'e' || B[i] == 'E')) {
    i++;
    if (i < E && (B[i] == '+' || B[i] == '-')) i++;
    if (i >= E || !digit(B[i])) return -1;
    while (i < E && digit(B[i])) i++;
  }
  return i;
}

static int32_t word(int32_t i, const char *w, int32_t n) {
  if (i + n > E) return -1;
  for (int32_t k = 0; k < n; k++) if (B[i + k] != (uint8_t)w[k]) return -1;
  return i + n;
}

static int32_t object(int32_t i, int32_t depth);
static int32_t array(int32_t i, int32_t depth);

static int32_t value(int32_t i, int32_t depth) {
  if (i >= E) return -1;
  switch (B[i]) {
    case '"': return string(i);
    case '{': return object(i, depth + 1);
    case '[': return array(i, depth + 1);
    case 't': return word(i, "true", 4);
    case 'f': return word(i, "false", 5);
    case 'n': return word(i, "null", 4);
    default: return number(i);
  }
}

static const char KEY[] = "\"resourceType\"";

static int is_key(int32_t from, int32_t to) {
  if (to - from != 14) return 0;
  for (int32_t k = 0; k < 14; k++) if (B[from + k] != (uint8_t)KEY[k]) return 0;
  return 1;
}

static int32_t object(int32_t i, int32_t depth) {
  if (depth > MAX_DEPTH) return -1;
  i = ws(i + 1);
  if (i < E && B[i] == '}') return i + 1;
  for (;;) {
    if (i >= E || B[i] != '"') return -1;
    int32_t key_start = i;
    i = string(i);
    if (i < 0) return -1;
    int32_t key_end = i;
    i = ws(i);
    if (i >= E || B[i] != ':') return -1;
    i = ws(i + 1);
    int32_t value_start = i;
    i = value(i, depth);
    if (i < 0) return -1;
    // the last one wins, as in JSON.parse
    if (depth == 1 && is_key(key_start, key_end)) {
      int is_string = B[value_start] == '"';
      type_start = is_string ? value_start : -1;
      type_end = is_string ? i : -1;
    }
    i = ws(i);
    if (i >= E) return -1;
    if (B[i] == ',') {
      i = ws(i + 1);
      continue;
    }
    return B[i] == '}' ? i + 1 : -1;
  }
}

static int32_t array(int32_t i, int32_t depth) {
  if (depth > MAX_DEPTH) return -1;
  i = ws(i + 1);
  if (i < E && B[i] == ']') return i + 1;
  for (;;) {
    i = value(i, depth);
    if (i < 0) return -1;
    i = ws(i);
    if (i >= E) return -1;
    if (B[i] == ',') {
      i = ws(i + 1);
      continue;
    }
    return B[i] == ']' ? i + 1 : -1;
  }
}

__attribute__((export_name("buffer"))) int32_t buffer(void) { return (int32_t)(uintptr_t)input; }
__attribute__((export_name("bufferSize"))) int32_t buffer_size(void) { return BUFFER_SIZE; }
__attribute__((export_name("expected"))) int32_t expected(void) { return (int32_t)(uintptr_t)want; }
__attribute__((export_name("typeStart"))) int32_t get_type_start(void) { return type_start; }
__attribute__((export_name("typeEnd"))) int32_t get_type_end(void) { return type_end; }

// One line, input[start, end): 0 a resource of the expected type (want[0, want_len)), 1 blank,
// 2 not valid JSON, 3 JSON but not an object, 4 no string resourceType, 5 another resourceType
// (or the same one spelled with escapes: the caller decides).
__attribute__((export_name("check"))) int32_t check(int32_t start, int32_t end, int32_t want_len) {
  E = end;
  type_start = -1;
  type_end = -1;
  int32_t i = ws(start);
  if (i >= E) return 1;
  if (B[i] != '{') {
    int32_t j = value(i, 0);
    return j >= 0 && ws(j) == E ? 3 : 2;
  }
  i = object(i, 1);
  if (i < 0 || ws(i) != E) return 2;
  if (type_start < 0) return 4;
  if (type_end - type_start != want_len) return 5;
  for (int32_t k = 0; k < want_len; k++) if (B[type_start + k] != want[k]) return 5;
  return 0;
}
