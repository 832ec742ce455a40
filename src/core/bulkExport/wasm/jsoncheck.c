// The NDJSON line check of src/core/bulkExport/jsonCheck.ts in C, compiled to WebAssembly with
// SIMD (build.sh). Same grammar, same answers (the tests hold both to JSON.parse).
//
// Two passes per line, as simdjson does: the first classifies 64 bytes at a time into bit masks
// (quotes, backslashes, structural characters, whitespace, control characters), works out which
// bytes are inside strings, and lists where tokens start; the second walks that list with a small
// state machine. A line this fast path does not accept (invalid, or something it does not try to
// judge) is checked again by the recursive descent below it, which names what is wrong; so the
// fast path only ever decides "valid", and the slow one every failure.
//
// Memory: the caller copies lines into `buffer()` (1 MiB) and the expected `"Type"` (with its
// quotes) into `expected()` (256 bytes), then calls `check` per line with offsets into buffer.
#include <stdint.h>
#include <wasm_simd128.h>

#define BUFFER_SIZE (1 << 20)
#define MAX_DEPTH 1000

// 64 spare bytes: the fast path loads whole 64-byte blocks, the last one past `end`
static uint8_t input[BUFFER_SIZE + 64];
// token starts of one line (at most one per byte)
static int32_t tokens[BUFFER_SIZE + 64];
static uint8_t in_object[MAX_DEPTH + 2];
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
static int32_t slow_check(int32_t start, int32_t end, int32_t want_len) {
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

// ---- the fast path ----

static inline uint64_t bits(v128_t a, v128_t b, v128_t c, v128_t d) {
  return (uint64_t)(uint16_t)wasm_i8x16_bitmask(a) | ((uint64_t)(uint16_t)wasm_i8x16_bitmask(b) << 16)
    | ((uint64_t)(uint16_t)wasm_i8x16_bitmask(c) << 32) | ((uint64_t)(uint16_t)wasm_i8x16_bitmask(d) << 48);
}

static inline v128_t structural(v128_t v) {
  // '[' | 0x20 is '{' and ']' | 0x20 is '}'
  v128_t low = wasm_v128_or(v, wasm_i8x16_splat(0x20));
  return wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(low, wasm_i8x16_splat('{')), wasm_i8x16_eq(low, wasm_i8x16_splat('}'))),
    wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(':')), wasm_i8x16_eq(v, wasm_i8x16_splat(','))));
}

static inline v128_t space(v128_t v) {
  return wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(' ')), wasm_i8x16_eq(v, wasm_i8x16_splat('\t'))),
    wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('\n')), wasm_i8x16_eq(v, wasm_i8x16_splat('\r'))));
}

static inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

static inline int escape_ok(int32_t p) {
  // B[p] is a backslash that escapes B[p + 1]
  if (p + 1 >= E) return 0;
  uint8_t x = B[p + 1];
  if (x == 'u') return p + 6 <= E && hex(B[p + 2]) && hex(B[p + 3]) && hex(B[p + 4]) && hex(B[p + 5]);
  return x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' || x == 'n' || x == 'r' || x == 't';
}

// Pass one: lists token starts in `tokens`; answers how many, or -1 where it gives up.
static int32_t index_tokens(int32_t start) {
  const v128_t ctrl_limit = wasm_i8x16_splat(0x20), quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\');
  int32_t n = 0;
  uint64_t escaped_next = 0;   // the first byte of the next block is escaped
  uint64_t inside_prev = 0;    // all ones when the block before ended inside a string
  uint64_t scalar_prev = 0;    // the last byte of the block before was part of a scalar
  for (int32_t base = start; base < E; base += 64) {
    const uint8_t *q = B + base;
    v128_t v0 = wasm_v128_load(q), v1 = wasm_v128_load(q + 16), v2 = wasm_v128_load(q + 32), v3 = wasm_v128_load(q + 48);
    uint64_t valid = E - base >= 64 ? ~0ull : (1ull << (E - base)) - 1;
    uint64_t bs = bits(wasm_i8x16_eq(v0, backslash), wasm_i8x16_eq(v1, backslash), wasm_i8x16_eq(v2, backslash), wasm_i8x16_eq(v3, backslash)) & valid;
    uint64_t qt = bits(wasm_i8x16_eq(v0, quote), wasm_i8x16_eq(v1, quote), wasm_i8x16_eq(v2, quote), wasm_i8x16_eq(v3, quote)) & valid;
    uint64_t ctrl = bits(wasm_u8x16_lt(v0, ctrl_limit), wasm_u8x16_lt(v1, ctrl_limit), wasm_u8x16_lt(v2, ctrl_limit), wasm_u8x16_lt(v3, ctrl_limit)) & valid;
    uint64_t op = bits(structural(v0), structural(v1), structural(v2), structural(v3)) & valid;
    uint64_t ws_bits = bits(space(v0), space(v1), space(v2), space(v3)) | ~valid;
    uint64_t escaped = escaped_next;
    escaped_next = 0;
    if (bs | escaped) {
      // rare in FHIR data: walk the backslashes in order; one that is not itself escaped escapes the next byte
      uint64_t b = bs & ~escaped;
      while (b) {
        int32_t p = __builtin_ctzll(b);
        if (!escape_ok(base + p)) return -1;
        if (p == 63) {
          escaped_next = 1;
          break;
        }
        escaped |= 1ull << (p + 1);
        b &= ~(3ull << p);
      }
    }
    uint64_t quotes = qt & ~escaped;
    // bytes from an opening quote up to (not including) its closing quote
    uint64_t inside = prefix_xor(quotes) ^ inside_prev;
    inside_prev = (uint64_t)((int64_t)inside >> 63);
    // a raw control character (tab included) inside a string
    if (ctrl & inside) return -1;
    uint64_t outside = ~inside;
    uint64_t scalar = ~(op | ws_bits | quotes) & outside & valid;
    uint64_t starts = (op & outside) | (quotes & inside) | (scalar & ~((scalar << 1) | scalar_prev));
    scalar_prev = scalar >> 63;
    while (starts) {
      tokens[n++] = base + __builtin_ctzll(starts);
      starts &= starts - 1;
    }
  }
  // a string still open at the end of the line
  if (inside_prev) return -1;
  return n;
}

static inline int32_t next_at(int32_t k, int32_t n) { return k < n ? tokens[k] : E; }

// A scalar (number, true, false, null) starting at p must run exactly up to the next token.
static inline int scalar_ok(int32_t p, int32_t next) {
  int32_t j;
  switch (B[p]) {
    case 't': j = word(p, "true", 4); break;
    case 'f': j = word(p, "false", 5); break;
    case 'n': j = word(p, "null", 4); break;
    default: j = number(p); break;
  }
  return j >= 0 && ws(j) == next;
}

// Pass two over the tokens: 1 when the line is one valid object (type_start/type_end set), else 0.
static int32_t walk(int32_t n) {
  int32_t k = 0, depth = 0, p;
  if (n == 0 || B[tokens[0]] != '{') return 0;
  k = 1;
  depth = 1;
  in_object[1] = 1;
  // just after '{'
  if (k >= n) return 0;
  p = tokens[k++];
  if (B[p] == '}') goto close;
  goto key;

key:
  {
    if (B[p] != '"') return 0;
    int is_type = depth == 1 && p + 14 <= E && is_key(p, p + 14);
    if (k + 1 >= n || B[tokens[k]] != ':') return 0;
    p = tokens[k + 1];
    k += 2;
    if (is_type) {
      type_start = -1;
      type_end = -1;
      if (B[p] == '"') {
        // the string ends with the last quote before the next token (only whitespace between)
        int32_t q = next_at(k, n) - 1;
        while (q > p && (B[q] == ' ' || B[q] == '\t' || B[q] == '\r' || B[q] == '\n')) q--;
        if (q <= p || B[q] != '"') return 0;
        type_start = p;
        type_end = q + 1;
      }
    }
    goto value;
  }

value:
  switch (B[p]) {
    case '{':
      if (++depth > MAX_DEPTH) return 0;
      in_object[depth] = 1;
      if (k >= n) return 0;
      p = tokens[k++];
      if (B[p] == '}') goto close;
      goto key;
    case '[':
      if (++depth > MAX_DEPTH) return 0;
      in_object[depth] = 0;
      if (k >= n) return 0;
      p = tokens[k++];
      if (B[p] == ']') goto close;
      goto value;
    case '"':
      goto after_value;
    case ',': case ':': case '}': case ']':
      return 0;
    default:
      if (!scalar_ok(p, next_at(k, n))) return 0;
      goto after_value;
  }

after_value:
  if (k >= n) return 0;
  p = tokens[k++];
  if (B[p] == ',') {
    if (k >= n) return 0;
    p = tokens[k++];
    if (in_object[depth]) goto key;
    goto value;
  }
  if (B[p] != (in_object[depth] ? '}' : ']')) return 0;

close:
  // p is the closing bracket of the container at depth
  if (B[p] != (in_object[depth] ? '}' : ']')) return 0;
  if (--depth == 0) return k == n;
  goto after_value;
}

__attribute__((export_name("check"))) int32_t check(int32_t start, int32_t end, int32_t want_len) {
  E = end;
  type_start = -1;
  type_end = -1;
  int32_t n = index_tokens(start);
  if (n < 0 || !walk(n)) return slow_check(start, end, want_len);
  if (type_start < 0) return 4;
  if (type_end - type_start != want_len) return 5;
  for (int32_t k = 0; k < want_len; k++) if (B[type_start + k] != want[k]) return 5;
  return 0;
}
