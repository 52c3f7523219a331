// The native peers of the API workloads (bench/node/api-peers.mjs has the JS
// ones). Same data file, same steps, same checksums:
//   driver sqlite     <data.json> [options]  SQLite's C API: the same schema and
//                                            statements, prepared once, bound per row
//   driver dispatcher <data.json> [options]  our core natively, through
//                                            cs::Dispatcher::call (JSON text in/out)
//   driver trace                             the SQL each mirrored op runs (drift check)
//   driver coldstart-sqlite <data.json>      open + schema + first query
//   driver coldstart-dispatcher              open (migrations) + first query
//   driver migrate <dump.json> [reps]        legacy.import of a localStorage dump
// Options: --sections bulk,reads,lists,search,drafts  --db FILE (drafts on a
// real file; sqlite only) --sync normal|full
// Prints one JSON object on stdout. Built by bench/native/build.mjs with the
// same SQLite amalgamation and compile options as build/native.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const auto kProcessStart = Clock::now();

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---------------------------------------------------------------- helpers
std::int64_t cents(const std::string& price) {
  auto dot = price.find('.');
  std::string whole = price.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : price.substr(dot + 1);
  frac = (frac + "00").substr(0, 2);
  return std::stoll(whole) * 100 + std::stoll(frac);
}

std::int64_t read_checksum(const std::string& name, std::int64_t c, std::size_t images, std::size_t url_chars) {
  // JS strings count UTF-16 units; the generated names are ASCII.
  return static_cast<std::int64_t>(name.size()) + c + static_cast<std::int64_t>(images) * 1000 +
         static_cast<std::int64_t>(url_chars);
}

json step_data(int rev, int campaign) {
  json steps = json::array();
  std::string copy;
  for (int i = 0; i < 8; ++i) copy += "Lorem ipsum dolor sit amet, ";
  for (int s = 0; s < 10; ++s)
    steps.push_back({{"step", s}, {"title", "Step " + std::to_string(s) + " of campaign " + std::to_string(campaign)},
                     {"copy", copy}, {"done", s < 3}});
  return {{"rev", rev}, {"campaign", campaign}, {"currentStep", rev % 5},
          {"audience", {{"ageRange", {18, 34}}, {"locations", {"US", "CA"}}}}, {"steps", steps}};
}

struct Latencies {
  double p50, p99, total;
};
Latencies latencies(std::vector<double> ms) {
  double total = 0;
  for (double v : ms) total += v;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))]; };
  return {at(0.5), at(0.99), total};
}

std::uint64_t rng_state[2] = {0x9E3779B97F4A7C15ull, 0xD1B54A32D192ED03ull};
std::uint64_t next_random() {
  std::uint64_t s1 = rng_state[0];
  const std::uint64_t s0 = rng_state[1];
  rng_state[0] = s0;
  s1 ^= s1 << 23;
  rng_state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
  return rng_state[1] + s0;
}
std::string uuid() {
  std::uint64_t a = next_random(), b = next_random();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return out;
}
std::int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}
std::string iso(std::int64_t ms) {
  time_t secs = static_cast<time_t>(ms / 1000);
  tm t;
  gmtime_r(&secs, &t);
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                t.tm_hour, t.tm_min, t.tm_sec, static_cast<int>(ms % 1000));
  return out;
}
int hlc_counter = 0;
std::string hlc() {
  char out[64];
  std::snprintf(out, sizeof out, "%015lld:%05d:bench0000000000", static_cast<long long>(now_ms()), ++hlc_counter);
  return out;
}
constexpr std::int64_t kWeek = 7LL * 24 * 3600 * 1000;

// ----------------------------------------------------------- SQLite C API
struct Stmt {
  sqlite3* db = nullptr;
  sqlite3_stmt* s = nullptr;
  Stmt() = default;
  Stmt(sqlite3* d, const std::string& sql) : db(d) {
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db) + ": " + sql);
  }
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& integer(int i, std::int64_t v) {
    sqlite3_bind_int64(s, i, v);
    return *this;
  }
  Stmt& null(int i) {
    sqlite3_bind_null(s, i);
    return *this;
  }
  bool step() {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db));
  }
  void run() {
    while (step()) {
    }
    reset();
  }
  void reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
  std::string col_text(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return p ? std::string(p, sqlite3_column_bytes(s, i)) : std::string();
  }
  std::int64_t col_int(int i) { return sqlite3_column_int64(s, i); }
};

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("exec: " + m + ": " + sql);
  }
}

// Reads every column of the current row the way a C app hands a row on
// (copied out), so the peer does the work of materializing results.
void read_row(Stmt& q, std::vector<std::string>& cells) {
  int n = sqlite3_column_count(q.s);
  cells.resize(n);
  for (int i = 0; i < n; ++i) cells[i] = q.col_text(i);
}

class SqlitePeer {
 public:
  SqlitePeer(const json& data, const std::string& path, const std::string& sync) : data_(data) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      throw std::runtime_error("open");
    if (path != ":memory:") {
      exec(db_, "PRAGMA journal_mode=WAL");
      exec(db_, "PRAGMA locking_mode=EXCLUSIVE");
      exec(db_, "PRAGMA synchronous=" + sync);
    }
    exec(db_, "PRAGMA foreign_keys=ON");
    for (const auto& sql : data["schema"]) exec(db_, sql.get<std::string>());
    for (auto& [name, sql] : data["statements"].items()) st_[name] = Stmt(db_, sql.get<std::string>());
  }
  ~SqlitePeer() {
    for (auto& [_, s] : st_) sqlite3_finalize(s.s);
    sqlite3_close(db_);
  }
  Stmt& st(const std::string& name) { return st_.at(name); }
  // As our Transaction::commit does: index what the transaction queued.
  void commit() {
    Stmt& pending = st("ftsPending");
    const bool any = pending.step() && pending.col_int(0) != 0;
    pending.reset();
    if (any)
      for (const char* name : {"ftsIndexProducts", "ftsClearProducts", "ftsIndexCampaigns", "ftsClearCampaigns"})
        st(name).run();
    st("commit").run();
  }

  std::vector<std::string> bulk(const json& products, double* ms) {
    auto t0 = Clock::now();
    std::vector<std::string> ids;
    ids.reserve(products.size());
    st("begin").run();
    Stmt& ins = st("insertProduct");
    Stmt& img = st("insertImage");
    for (const auto& p : products) {
      std::string id = uuid();
      std::string at = iso(now_ms());
      std::string h = hlc();
      ins.text(1, id).null(2).text(3, p["name"]).text(4, p["description"]).text(5, p["brand"]).text(6, p["category"])
          .integer(7, cents(p["price"])).null(8).null(9).text(10, "{}").text(11, "{}").text(12, "{}").text(13, "active")
          .text(14, at).text(15, at).text(16, h).run();
      int k = 0;
      for (const auto& im : p["images"]) {
        img.text(1, uuid()).text(2, id).text(3, im["url"]).null(4).null(5).null(6).null(7).integer(8, k == 0 ? 1 : 0)
            .text(9, "{}").text(10, at).text(11, at).text(12, h).run();
        ++k;
      }
      ids.push_back(std::move(id));
    }
    commit();
    *ms = ms_since(t0);
    return ids;
  }

  json reads(const std::vector<std::string>& ids, const json& reads) {
    std::int64_t sum = 0;
    std::vector<std::string> row;
    Stmt &qp = st("getProduct"), &qi = st("getImages"), &qb = st("getBackgrounds"), &qc = st("getProductCampaigns");
    auto t0 = Clock::now();
    for (const auto& r : reads) {
      const std::string& id = ids[r.get<std::size_t>()];
      qp.text(1, id);
      if (!qp.step()) throw std::runtime_error("no product " + id);
      read_row(qp, row);
      std::string name = row[2];
      std::int64_t price = qp.col_int(6);
      qp.reset();
      std::size_t images = 0, url_chars = 0;
      qi.text(1, id);
      while (qi.step()) {
        read_row(qi, row);
        ++images;
        url_chars += row[2].size();
      }
      qi.reset();
      if (images) {
        qb.text(1, id);
        while (qb.step()) read_row(qb, row);
        qb.reset();
      }
      qc.text(1, id);
      while (qc.step()) read_row(qc, row);
      qc.reset();
      sum += read_checksum(name, price, images, url_chars);
    }
    return {{"ms", ms_since(t0)}, {"checksum", sum}};
  }

  json lists(const json& categories, int limit) {
    std::int64_t items = 0, price = 0, pages = 0;
    std::vector<std::string> row;
    Stmt &first = st("listFirst"), &next = st("listNext");
    auto t0 = Clock::now();
    for (const auto& c : categories) {
      std::string category = c;
      bool have_after = false;
      std::string after_at;
      std::int64_t after_rowid = 0;
      for (;;) {
        Stmt& q = have_after ? next : first;
        if (have_after)
          q.text(1, category).text(2, after_at).integer(3, after_rowid).integer(4, limit + 1);
        else
          q.text(1, category).integer(2, limit + 1);
        int n = 0;
        std::string last_at;
        std::int64_t last_rowid = 0;
        while (q.step()) {
          if (n < limit) {
            read_row(q, row);
            ++items;
            price += q.col_int(6);
            last_at = row[15];
            last_rowid = q.col_int(16);
          }
          ++n;
        }
        q.reset();
        ++pages;
        if (n <= limit) break;
        have_after = true;
        after_at = last_at;
        after_rowid = last_rowid;
      }
    }
    return {{"ms", ms_since(t0)}, {"checksum", {{"items", items}, {"priceCents", price}}}, {"pages", pages}};
  }

  json search(const json& terms) {
    std::int64_t items = 0, name_chars = 0;
    std::vector<std::string> row;
    Stmt& q = st("search");
    auto t0 = Clock::now();
    for (const auto& t : terms) {
      q.text(1, "\"" + t.get<std::string>() + "\"*").integer(3, 20);
      while (q.step()) {
        read_row(q, row);
        ++items;
        name_chars += static_cast<std::int64_t>(utf16_length(row[2]));
      }
      q.reset();
    }
    return {{"ms", ms_since(t0)}, {"checksum", {{"items", items}, {"nameChars", name_chars}}}};
  }

  std::vector<std::string> campaigns(int n) {
    std::vector<std::string> ids;
    for (int c = 0; c < n; ++c) {
      std::string id = uuid(), at = iso(now_ms());
      st("begin").run();
      Stmt& q = st("insertCampaign");
      q.text(1, id).null(2).null(3).text(4, "Campaign " + std::to_string(c)).null(5).text(6, "draft").null(7)
          .text(8, "USD").null(9).null(10).null(11).text(12, "{}").text(13, "{}").text(14, "{}").text(15, "{}").null(16)
          .text(17, "v2").text(18, at).text(19, at).text(20, hlc()).run();
      commit();
      ids.push_back(id);
    }
    return ids;
  }

  json drafts(const std::vector<std::string>& cids, int saves) {
    std::vector<double> each;
    std::vector<std::string> row;
    Stmt &exists = st("campaignExists"), &find = st("draftForCampaign"), &get = st("getDraft");
    for (int i = 0; i < saves; ++i) {
      int c = i % static_cast<int>(cids.size());
      json sd = step_data(i, c);
      auto t = Clock::now();
      const std::string& cid = cids[c];
      st("begin").run();
      exists.text(1, cid);
      if (!exists.step()) throw std::runtime_error("no campaign");
      exists.reset();
      find.text(1, cid);
      std::string id = find.step() ? find.col_text(0) : "";
      find.reset();
      std::int64_t at = now_ms();
      std::string text = sd.dump();
      if (!id.empty()) {
        st("updateDraft").text(1, id).integer(2, 0).null(3).integer(4, 1).text(5, text).integer(6, 1).text(7, iso(at))
            .integer(8, 1).text(9, iso(at + kWeek)).text(10, iso(at)).text(11, hlc()).run();
      } else {
        id = uuid();
        st("insertDraft").text(1, id).text(2, cid).text(3, text).text(4, iso(at)).text(5, iso(at + kWeek))
            .text(6, iso(at)).text(7, iso(at)).text(8, hlc()).run();
      }
      get.text(1, id);
      get.step();
      read_row(get, row);
      get.reset();
      commit();
      each.push_back(ms_since(t));
    }
    Latencies l = latencies(each);
    return {{"p50", l.p50}, {"p99", l.p99}, {"total", l.total}};
  }

  json check() {
    auto row = [&](const char* name) {
      json out = json::array();
      Stmt& q = st(name);
      q.step();
      for (int i = 0; i < sqlite3_column_count(q.s); ++i) {
        if (sqlite3_column_type(q.s, i) == SQLITE_NULL)
          out.push_back(nullptr);
        else
          out.push_back(q.col_int(i));
      }
      q.reset();
      return out;
    };
    return {{"products", row("checkProducts")}, {"images", row("checkImages")}, {"fts", row("checkFts")},
            {"drafts", row("checkDrafts")}};
  }

  static std::size_t utf16_length(const std::string& s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      n += len == 4 ? 2 : 1;
      i += len;
    }
    return n;
  }

 private:
  const json& data_;
  sqlite3* db_ = nullptr;
  std::map<std::string, Stmt> st_;
};

// ----------------------------------------------------- our core, natively
class DispatcherPeer {
 public:
  DispatcherPeer() {
    json r = call("open", json::object());
    (void)r;
  }
  json call(const std::string& op, const json& args) {
    json env = json::parse(d_.call(op, args.dump()));
    if (!env["ok"].get<bool>()) throw std::runtime_error(op + ": " + env["error"].dump());
    return std::move(env["result"]);
  }
  static json api_args(const json& p) {
    json images = json::array();
    for (const auto& im : p["images"]) images.push_back({{"url", im["url"]}});
    return {{"name", p["name"]}, {"brand", p["brand"]}, {"category", p["category"]}, {"price", p["price"]},
            {"description", p["description"]}, {"images", images}};
  }
  std::vector<std::string> bulk(const json& products, double* ms) {
    auto t0 = Clock::now();
    json ops = json::array();
    for (const auto& p : products) ops.push_back({{"op", "products.create"}, {"args", api_args(p)}});
    json res = call("batch", {{"ops", std::move(ops)}});
    std::vector<std::string> ids;
    for (const auto& r : res) ids.push_back(r["id"].get<std::string>());
    *ms = ms_since(t0);
    return ids;
  }
  json reads(const std::vector<std::string>& ids, const json& reads) {
    std::int64_t sum = 0;
    auto t0 = Clock::now();
    for (const auto& r : reads) {
      json p = call("products.get", {{"id", ids[r.get<std::size_t>()]}});
      std::size_t url_chars = 0;
      for (const auto& im : p["images"]) url_chars += im["url"].get_ref<const std::string&>().size();
      sum += read_checksum(p["name"], cents(p["price"]), p["images"].size(), url_chars);
    }
    return {{"ms", ms_since(t0)}, {"checksum", sum}};
  }
  json lists(const json& categories, int limit) {
    std::int64_t items = 0, price = 0, pages = 0;
    auto t0 = Clock::now();
    for (const auto& c : categories) {
      json cursor;
      do {
        json args = {{"category", c}, {"limit", limit}};
        if (!cursor.is_null()) args["cursor"] = cursor;
        json r = call("products.list", args);
        ++pages;
        for (const auto& p : r["items"]) {
          ++items;
          price += cents(p["price"]);
        }
        cursor = r["nextCursor"];
      } while (!cursor.is_null());
    }
    return {{"ms", ms_since(t0)}, {"checksum", {{"items", items}, {"priceCents", price}}}, {"pages", pages}};
  }
  json search(const json& terms) {
    std::int64_t items = 0, name_chars = 0;
    auto t0 = Clock::now();
    for (const auto& t : terms) {
      json r = call("search.query", {{"q", t}});
      for (const auto& it : r["items"]) {
        ++items;
        name_chars += static_cast<std::int64_t>(SqlitePeer::utf16_length(it["name"]));
      }
    }
    return {{"ms", ms_since(t0)}, {"checksum", {{"items", items}, {"nameChars", name_chars}}}};
  }
  std::vector<std::string> campaigns(int n) {
    std::vector<std::string> ids;
    for (int c = 0; c < n; ++c) ids.push_back(call("campaigns.create", {{"name", "Campaign " + std::to_string(c)}})["id"]);
    return ids;
  }
  json drafts(const std::vector<std::string>& cids, int saves) {
    std::vector<double> each;
    for (int i = 0; i < saves; ++i) {
      int c = i % static_cast<int>(cids.size());
      json sd = step_data(i, c);
      auto t = Clock::now();
      call("drafts.save", {{"campaignId", cids[c]}, {"stepData", sd}});
      each.push_back(ms_since(t));
    }
    Latencies l = latencies(each);
    return {{"p50", l.p50}, {"p99", l.p99}, {"total", l.total}};
  }
  json check(const json& statements) {
    auto row = [&](const char* name) {
      json r = call("sql.query", {{"sql", statements[name]}});
      json out = json::array();
      const json& o = r["rows"][0];
      for (const char* k : {"c1", "c2", "c3"})
        if (o.contains(k)) out.push_back(o[k]);
      return out;
    };
    return {{"products", row("checkProducts")}, {"images", row("checkImages")}, {"fts", row("checkFts")},
            {"drafts", row("checkDrafts")}};
  }
  cs::Dispatcher& dispatcher() { return d_; }

 private:
  cs::Dispatcher d_;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The workload sequence of api-worker.mjs, for either native peer.
template <class Peer>
json sequence(Peer& p, const json& data, const json& products, bool warm, const std::vector<std::string>& sections,
              const json& statements) {
  auto want = [&](const char* s) { return std::find(sections.begin(), sections.end(), s) != sections.end(); };
  json out = json::object();
  bool needs_products = want("bulk") || want("reads") || want("lists") || want("search");
  std::vector<std::string> ids;
  if (needs_products) {
    double ms = 0;
    ids = p.bulk(products, &ms);
    if (want("bulk")) out["bulk"] = {{"ms", ms}};
  }
  json reads = data["reads"];
  if (warm) {
    json w = json::array();
    for (std::size_t i = 0; i < 100 && i < reads.size(); ++i) w.push_back(reads[i].get<std::size_t>() % products.size());
    reads = w;
  }
  if (want("reads")) out["reads"] = p.reads(ids, reads);
  if (want("lists")) out["lists"] = p.lists(data["listCategories"], data["size"]["pageSize"].get<int>());
  if (want("search")) {
    json terms = data["searches"];
    if (warm) terms = json(std::vector<json>(terms.begin(), terms.begin() + std::min<std::size_t>(20, terms.size())));
    out["search"] = p.search(terms);
  }
  if (want("drafts")) {
    auto cids = p.campaigns(data["drafts"]["campaigns"].get<int>());
    int saves = data["drafts"]["saves"].get<int>();
    out["drafts"] = p.drafts(cids, warm ? std::min(50, saves) : saves);
  }
  if (!warm) {
    if constexpr (std::is_same_v<Peer, DispatcherPeer>)
      out["check"] = p.check(statements);
    else
      out["check"] = p.check();
  }
  return out;
}

int trace_stmt(unsigned type, void* ctx, void* p, void* x) {
  auto* seen = static_cast<std::vector<std::string>*>(ctx);
  const char* text = static_cast<const char*>(x);
  if (type == SQLITE_TRACE_STMT && !(text && text[0] == '-' && text[1] == '-'))
    seen->push_back(sqlite3_sql(static_cast<sqlite3_stmt*>(p)));
  return 0;
}

json trace() {
  DispatcherPeer p;
  std::vector<std::string> seen;
  sqlite3_trace_v2(p.dispatcher().session().db().handle(), SQLITE_TRACE_STMT, trace_stmt, &seen);
  json out = json::object();
  auto capture = [&](const char* label, auto&& fn) {
    seen.clear();
    fn();
    out[label] = seen;
  };
  std::string id, cid;
  json product = {{"name", "Trace shoe"}, {"brand", "Acme"}, {"category", "shoes"}, {"price", "1.00"},
                  {"description", "d"}, {"images", {{{"url", "https://x/1.png"}}, {{"url", "https://x/2.png"}}}}};
  capture("products.create", [&] { id = p.call("batch", {{"ops", {{{"op", "products.create"}, {"args", product}}}}})[0]["id"]; });
  capture("products.get", [&] { p.call("products.get", {{"id", id}}); });
  p.call("products.create", product);
  capture("products.list", [&] {
    json r = p.call("products.list", {{"category", "shoes"}, {"limit", 1}});
    p.call("products.list", {{"category", "shoes"}, {"limit", 1}, {"cursor", r["nextCursor"]}});
  });
  capture("search.query", [&] { p.call("search.query", {{"q", "shoe"}}); });
  capture("campaigns.create", [&] { cid = p.call("campaigns.create", {{"name", "c"}})["id"]; });
  capture("drafts.save", [&] {
    p.call("drafts.save", {{"campaignId", cid}, {"stepData", {{"a", 1}}}});
    p.call("drafts.save", {{"campaignId", cid}, {"stepData", {{"a", 2}}}});
  });
  return out;
}

json migrate(const std::string& dump_file, int reps) {
  json dump = json::parse(read_file(dump_file));
  json entries = json::array();
  std::size_t bytes = 0;
  for (auto& [key, value] : dump.items()) {
    entries.push_back({{"key", key}, {"value", value}});
    bytes += value.get_ref<const std::string&>().size();
  }
  const std::string args = json{{"entries", entries}}.dump();
  json runs = json::array();
  json report;
  for (int r = 0; r < reps + 1; ++r) {  // the first run warms up
    DispatcherPeer p;
    auto t0 = Clock::now();
    json env = json::parse(p.dispatcher().call("legacy.import", args));
    double ms = ms_since(t0);
    if (!env["ok"].get<bool>()) throw std::runtime_error("legacy.import: " + env["error"].dump());
    if (r > 0) runs.push_back(ms);
    report = env["result"]["database"];
  }
  return {{"ms", runs}, {"bytes", bytes}, {"argsBytes", args.size()}, {"report", report}};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) throw std::runtime_error("usage: driver sqlite|dispatcher|trace|coldstart-*|migrate ...");
    std::string mode = argv[1];
    std::vector<std::string> sections = {"bulk", "reads", "lists", "search", "drafts"};
    std::string db_path = ":memory:", sync = "normal";
    for (int i = 3; i + 1 < argc; i += 2) {
      std::string k = argv[i];
      if (k == "--sections") sections = split(argv[i + 1], ',');
      if (k == "--db") db_path = argv[i + 1];
      if (k == "--sync") sync = argv[i + 1];
    }
    json out;
    if (mode == "trace") {
      out = trace();
    } else if (mode == "migrate") {
      out = migrate(argv[2], argc > 3 ? std::atoi(argv[3]) : 3);
    } else if (mode == "coldstart-dispatcher") {
      DispatcherPeer p;
      json r = p.call("products.list", {{"limit", 1}});
      out = {{"ms", ms_since(kProcessStart)}, {"items", r["items"].size()}};
    } else {
      json data = json::parse(read_file(argv[2]));
      const json& statements = data["statements"];
      if (mode == "coldstart-sqlite") {
        auto t0 = Clock::now();
        SqlitePeer p(data, ":memory:", sync);
        Stmt& q = p.st("listFirst");
        q.text(1, "shoes").integer(2, 1);
        int n = 0;
        while (q.step()) ++n;
        q.reset();
        out = {{"ms", ms_since(kProcessStart)}, {"openMs", ms_since(t0)}, {"items", n}};
      } else if (mode == "sqlite") {
        {
          SqlitePeer scratch(data, ":memory:", sync);
          sequence(scratch, data, data["warm"], true, sections, statements);
        }
        SqlitePeer p(data, db_path, sync);
        out = sequence(p, data, data["products"], false, sections, statements);
        out["version"] = sqlite3_libversion();
      } else if (mode == "dispatcher") {
        {
          DispatcherPeer scratch;
          sequence(scratch, data, data["warm"], true, sections, statements);
        }
        DispatcherPeer p;
        out = sequence(p, data, data["products"], false, sections, statements);
      } else {
        throw std::runtime_error("unknown mode " + mode);
      }
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::printf("%s\n", json{{"error", e.what()}}.dump().c_str());
    return 1;
  }
}
