namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// The inline JavaScript of a flame graph: hover details, click to zoom, reset, and a regular-expression
/// search that highlights matches and reports the share of samples they cover. It reads positions from
/// the data-x/-w/-d attributes (sample units and depth), so it needs nothing from outside the file. The zoomed
/// frame (its index) and the search are kept in the URL fragment, <c>#zoom=12&amp;search=handle</c>, so a reload
/// or a shared link shows the same view. The title is fitted between the controls with the browser's font.
/// </summary>
internal static class FlameGraphScript
{
    public const string Source = """
        "use strict";
        var frames, details, matched, total, pad, inner, charWidth, frameHeight, current = null, searched = "";
        function init() {
          fitTitle();
          frames = document.getElementById("frames");
          details = document.getElementById("details");
          matched = document.getElementById("matched");
          if (!frames) { return; }
          total = +frames.getAttribute("data-total");
          pad = +frames.getAttribute("data-pad");
          inner = +frames.getAttribute("data-inner");
          charWidth = +frames.getAttribute("data-char");
          frameHeight = +frames.getAttribute("data-fh");
          frames.addEventListener("mouseover", function (e) { var g = frameOf(e.target); if (g) { details.textContent = describe(g); } });
          frames.addEventListener("mouseout", function () { details.textContent = " "; });
          frames.addEventListener("click", function (e) { var g = frameOf(e.target); if (g) { zoom(g); } });
          document.getElementById("reset").addEventListener("click", resetZoom);
          document.getElementById("search").addEventListener("click", askSearch);
          document.addEventListener("keydown", function (e) {
            if ((e.ctrlKey && e.key === "f") || e.key === "/") { e.preventDefault(); askSearch(); }
            if (e.key === "Escape") { resetZoom(); search(""); }
          });
          window.addEventListener("hashchange", restore);
          restore();
        }
        function fitTitle() {
          var title = document.getElementById("title"), reset = document.getElementById("reset"), button = document.getElementById("search");
          if (!title || !reset || !button) { return; }
          var full = title.getAttribute("data-full") || "", hidden = reset.getAttribute("class");
          reset.setAttribute("class", "button");
          var left = reset.getBBox(), right = button.getBBox(), center = +title.getAttribute("x"), gap = 8;
          reset.setAttribute("class", hidden);
          var room = 2 * Math.min(center - (left.x + left.width) - gap, right.x - gap - center), n = full.length;
          title.textContent = full;
          while (n > 0 && title.getComputedTextLength() > room) {
            n--;
            title.textContent = n >= 3 ? full.substring(0, n - 2) + ".." : "";
          }
        }
        function fragment() {
          var state = {}, parts = location.hash.replace(/^#/, "").split("&");
          for (var i = 0; i < parts.length; i++) {
            var at = parts[i].indexOf("=");
            if (at > 0) { try { state[parts[i].substring(0, at)] = decodeURIComponent(parts[i].substring(at + 1)); } catch (e) { } }
          }
          return state;
        }
        function remember() {
          var parts = [];
          if (current) { parts.push("zoom=" + Array.prototype.indexOf.call(frames.children, current)); }
          if (searched) { parts.push("search=" + encodeURIComponent(searched)); }
          var hash = parts.length ? "#" + parts.join("&") : "";
          if (hash === location.hash) { return; }
          try { history.replaceState(null, "", hash || location.pathname + location.search); } catch (e) { location.hash = hash; }
        }
        function restore() {
          var state = fragment(), list = frames.children, index = /^\d+$/.test(state.zoom || "") ? +state.zoom : -1;
          if (index >= 0 && index < list.length) { zoom(list[index]); } else { resetZoom(); }
          search(state.search || "");
        }
        function frameOf(node) {
          while (node && node !== frames) { if (node.parentNode === frames) { return node; } node = node.parentNode; }
          return null;
        }
        function titleOf(g) { return g.querySelector("title").textContent; }
        function nameOf(g) { var t = titleOf(g), i = t.indexOf("\n"); return i < 0 ? t : t.substring(0, i); }
        function describe(g) {
          var t = titleOf(g), i = t.indexOf("\n"), name = nameOf(g), rest = i < 0 ? "" : t.substring(i + 1);
          var m = /^(.*) \((.*):(\d+)\)$/.exec(name);
          var what = m ? "function " + m[1] + ", file " + m[2] + ", line " + m[3] : name;
          return what + " | " + rest;
        }
        function fit(name, width) {
          var chars = Math.floor((width - 6) / charWidth);
          if (chars < 3) { return ""; }
          return name.length <= chars ? name : name.substring(0, chars - 2) + "..";
        }
        function place(g, x, width, faded) {
          var rect = g.querySelector("rect"), text = g.querySelector("text");
          g.style.display = "";
          g.setAttribute("class", faded ? "parent" : "");
          rect.setAttribute("x", x.toFixed(2));
          rect.setAttribute("width", width.toFixed(2));
          var label = fit(nameOf(g), width);
          if (!text && label) {
            text = document.createElementNS("http://www.w3.org/2000/svg", "text");
            text.setAttribute("y", (+rect.getAttribute("y") + frameHeight - 4).toFixed(2));
            g.appendChild(text);
          }
          if (text) { text.setAttribute("x", (x + 3).toFixed(2)); text.textContent = label; }
        }
        function show(x, w, d) {
          var list = frames.children;
          for (var i = 0; i < list.length; i++) {
            var g = list[i], fx = +g.getAttribute("data-x"), fw = +g.getAttribute("data-w"), fd = +g.getAttribute("data-d");
            if (fd < d && fx <= x && fx + fw >= x + w) { place(g, pad, inner, true); }
            else if (fd >= d && fx >= x && fx + fw <= x + w && fw > 0) { place(g, pad + (fx - x) / w * inner, fw / w * inner, false); }
            else { g.style.display = "none"; }
          }
        }
        function zoom(g) {
          current = g;
          show(+g.getAttribute("data-x"), +g.getAttribute("data-w"), +g.getAttribute("data-d"));
          document.getElementById("reset").setAttribute("class", "button");
          remember();
        }
        function resetZoom() {
          current = null;
          show(0, total, 0);
          document.getElementById("reset").setAttribute("class", "button hidden");
          remember();
        }
        function askSearch() {
          var pattern = prompt("Search frames (regular expression)", "");
          if (pattern !== null) { search(pattern); }
        }
        function search(pattern) {
          var re = null;
          if (pattern) {
            try { re = new RegExp(pattern); } catch (e) { matched.textContent = "Invalid search: " + e.message; return -1; }
          }
          searched = pattern || "";
          remember();
          var list = frames.children, spans = [];
          for (var i = 0; i < list.length; i++) {
            var g = list[i], rect = g.querySelector("rect");
            if (!rect.hasAttribute("data-fill")) { rect.setAttribute("data-fill", rect.getAttribute("fill")); }
            var hit = re && g.getAttribute("data-d") !== "0" && !g.hasAttribute("data-m") && re.test(nameOf(g));
            rect.setAttribute("fill", hit ? "rgb(230,0,230)" : rect.getAttribute("data-fill"));
            if (hit) { spans.push([+g.getAttribute("data-x"), +g.getAttribute("data-w")]); }
          }
          if (!re) { matched.textContent = " "; return 0; }
          spans.sort(function (a, b) { return a[0] - b[0]; });
          var covered = 0, end = 0;
          for (var j = 0; j < spans.length; j++) {
            var from = Math.max(spans[j][0], end), to = spans[j][0] + spans[j][1];
            if (to > from) { covered += to - from; }
            end = Math.max(end, to);
          }
          var share = total > 0 ? 100 * covered / total : 0;
          matched.textContent = "Matched: " + share.toFixed(2) + "% (" + covered + " samples)";
          return share;
        }
        """;
}
