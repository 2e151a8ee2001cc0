// While the web address is left empty, show as its placeholder the address the server will make from the
// title (the same rule: English, French, Spanish, then Russian, in Latin letters). The form works without it.
(function () {
  var slug = document.getElementById("slug");
  if (!slug) { return; }
  var cyrillic = "а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:i к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:iu я:ia";
  var latin = {};
  cyrillic.split(" ").forEach(function (pair) { var p = pair.split(":"); latin[p[0]] = p[1]; });
  var sources = ["title_en", "title_fr", "title_es", "title_ru"].map(function (id) { return document.getElementById(id); });
  function suggest() {
    for (var i = 0; i < sources.length; i++) {
      if (!sources[i]) { continue; }
      var text = Array.from(sources[i].value.toLowerCase()).map(function (ch) { return latin[ch] !== undefined ? latin[ch] : ch; }).join("");
      var words = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
      if (words) { return words.slice(0, 60).replace(/-+$/, ""); }
    }
    return "";
  }
  function update() { slug.placeholder = suggest(); }
  sources.forEach(function (field) { if (field) { field.addEventListener("input", update); } });
  update();
})();
