#include "status_page_fixture.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::templates;
using namespace incident_bot::templates::testing;

TEST_CASE("the feed has Atom's required elements and one entry per public update, newest first") {
  const auto page = settings();
  const auto list = entries();
  const std::string atom = history_atom(PageView{page, list, page_now});
  CHECK_THAT(atom, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
  CHECK_THAT(atom, Catch::Contains("<id>https://status.example.com/history.atom</id>"));
  CHECK_THAT(atom, Catch::Contains("<title>Shop &lt;status&gt; — incident history</title>"));
  CHECK_THAT(atom, Catch::Contains("<updated>2026-11-18T10:56:40+00:00</updated>"));
  CHECK_THAT(atom, Catch::Contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://status.example.com/history.atom\"/>"));
  CHECK_THAT(atom, Catch::Contains("<author><name>"));
  CHECK_THAT(atom, Catch::Contains("<id>https://status.example.com/status/incidents/k3x9q2m7zt4a#update-2</id>"));
  std::size_t entries_found = 0;
  for (auto at = atom.find("<entry>"); at != std::string::npos; at = atom.find("<entry>", at + 1)) ++entries_found;
  CHECK(entries_found == 5);
  CHECK(atom.find("#update-2</id>") < atom.find("k3x9q2m7zt4a#update-1</id>"));
  CHECK_THAT(atom, !Catch::Contains("<script>"));
  CHECK_THAT(atom, Catch::Contains("Payments &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;: Identified"));
}

TEST_CASE("an entry's id stays the same when later updates are published") {
  const auto page = settings();
  auto list = entries();
  const std::string before = history_atom(PageView{page, list, page_now});
  list[0].updates.push_back(update(3, PublicStatus::monitoring, Impact::minor, "Fix deployed", page_now));
  const std::string after = history_atom(PageView{page, list, page_now});
  CHECK_THAT(after, Catch::Contains("k3x9q2m7zt4a#update-1</id>"));
  CHECK_THAT(after, Catch::Contains("k3x9q2m7zt4a#update-3</id>"));
  CHECK_THAT(before, !Catch::Contains("#update-3"));
}
