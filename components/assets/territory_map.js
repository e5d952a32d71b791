/* The territory map drawn inside the streamlit-folium iframe (Leaflet 1.9, Leaflet.markercluster).
 *
 * `essaimDrawMap(map, data)` receives the folium map and the data prepared by
 * components/territory_map.py: département shapes with their fill colour, optional EPCI contours,
 * one entry per territory, the overseas insets and every interface string in French.
 *
 * Every text that comes from the data is put in the page with textContent, never as HTML.
 * The map is one stop in the keyboard order: the markers (and clusters) form a roving group,
 * arrows move between them, Enter or Space opens a territory or zooms into a cluster.
 */
/* global L */
(function () {
  "use strict";

  function node(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") { element.textContent = attributes[name]; }
      else if (name === "style") { element.style.cssText = attributes[name]; }
      else { element.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { element.appendChild(child); });
    return element;
  }

  function addStyles(css) {
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
  }

  var CSS = [
    ".leaflet-container{background:#eef3f7;font:14px/1.4 'Source Sans Pro',sans-serif}",
    ".essaim-divicon{background:none;border:none}",
    ".essaim-marker{display:inline-flex;border:2px solid #111;border-radius:9px;overflow:hidden;",
    "font:bold 12px/18px sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.5);cursor:pointer;white-space:nowrap}",
    ".essaim-marker span{padding:0 5px;display:inline-block;min-width:14px;text-align:center}",
    ".essaim-marker .essaim-count{background:#000;color:#fff;padding:0 4px}",
    "[data-text]::before{content:attr(data-text)}",
    ".essaim-selected .essaim-marker{border:3px solid #000;box-shadow:0 0 0 3px #fff,0 0 0 6px #b35c00}",
    ".essaim-cluster{display:inline-flex;align-items:center;gap:3px;background:#fff;border:2px solid #111;",
    "border-radius:14px;padding:2px 6px 2px 3px;font:bold 13px/18px sans-serif;color:#000;",
    "box-shadow:0 1px 4px rgba(0,0,0,.6);cursor:pointer;white-space:nowrap}",
    ".essaim-cluster i{display:inline-block;width:12px;height:12px;border-radius:50%;border:1px solid #111}",
    ".leaflet-marker-icon:focus{outline:none}",
    ".leaflet-marker-icon:focus-visible .essaim-marker,.leaflet-marker-icon:focus-visible .essaim-cluster",
    "{outline:3px solid #000;outline-offset:2px;box-shadow:0 0 0 6px #fff}",
    ".leaflet-bar a:focus-visible,.essaim-reset:focus-visible{outline:3px solid #000;outline-offset:1px}",
    ".essaim-reset{font:bold 13px sans-serif;background:#fff;color:#000;border:2px solid rgba(0,0,0,.35);",
    "border-radius:4px;padding:3px 8px;cursor:pointer}",
    ".essaim-insets{position:absolute;z-index:800;display:flex;gap:6px}",
    ".essaim-insets.column{left:8px;top:8px;bottom:8px;flex-direction:column}",
    ".essaim-insets.row{left:4px;right:4px;top:4px;flex-direction:row;gap:4px}",
    ".essaim-inset{position:relative;flex:1 1 0;min-width:0;min-height:0;background:#eef3f7;",
    "border:1px solid #555;box-shadow:0 1px 3px rgba(0,0,0,.3);display:flex;flex-direction:column}",
    ".essaim-inset-map{position:relative;flex:1 1 auto;min-height:0}",
    ".essaim-inset .leaflet-container{width:100%;height:100%;background:#eef3f7}",
    /* The inset's name is a band above its map: never over a marker. */
    ".essaim-inset-title{flex:0 0 auto;display:block;width:100%;background:#fff;color:#000;text-align:left;",
    "font:bold 12px/16px sans-serif;padding:0 4px;border:0;border-bottom:1px solid #555;cursor:pointer;",
    "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".essaim-insets.row .essaim-inset-title{font-size:10px;line-height:14px;padding:0 1px;text-align:center;",
    "letter-spacing:-0.2px}",
    ".essaim-table-link{font:bold 13px sans-serif;background:#fff;color:#0b57a6;border:2px solid rgba(0,0,0,.35);",
    "border-radius:4px;padding:3px 8px;cursor:pointer;text-decoration:underline}",
    ".essaim-table-link:focus-visible{outline:3px solid #000;outline-offset:1px}",
    /* A phone: the bottom-left controls in one row, clear of the map's south-west. */
    ".essaim-narrow .leaflet-bottom.leaflet-left{display:flex;flex-direction:row;align-items:flex-end;gap:4px;",
    "padding-left:10px;padding-bottom:10px}",
    ".essaim-narrow .leaflet-bottom.leaflet-left .leaflet-control{margin:0;float:none}",
    ".essaim-narrow .leaflet-bottom.leaflet-left .leaflet-bar{display:flex}",
    ".essaim-narrow .leaflet-bottom.leaflet-left .leaflet-bar a{border-bottom:none;border-right:1px solid #ccc}",
    ".essaim-narrow .leaflet-control-attribution{max-width:120px;white-space:normal;text-align:right}",
    ".leaflet-tooltip{color:#000}",
    /* Projection mode: larger markers, controls and labels, read from the back of a room. */
    ".essaim-large .essaim-marker{font-size:20px;line-height:28px}",
    ".essaim-large .essaim-cluster{font-size:20px;line-height:26px}",
    ".essaim-large .essaim-cluster i{width:16px;height:16px}",
    ".essaim-large .essaim-inset-title,.essaim-large .essaim-reset,.essaim-large .essaim-table-link",
    "{font-size:20px;line-height:26px}",
    ".essaim-large .leaflet-control-attribution,.essaim-large .leaflet-control-scale-line{font-size:20px;line-height:26px}",
    ".essaim-large .leaflet-control-scale-line{height:auto}",
    ".essaim-large .leaflet-bar a{width:44px;height:44px;line-height:44px;font-size:28px}",
    ".essaim-large .leaflet-tooltip{font-size:20px}",
    ".leaflet-control-attribution,.leaflet-control-scale-line{color:#000}"
  ].join("");

  /* The pill of a territory: one coloured segment per innovation with its roadmap stage.
   * The codes are drawn by CSS (data-text): the marker's accessible name says them in words
   * ("Brest — TAPAJ, étape IV"), and a visible "IV" that is not part of that name would fail
   * WCAG 2.5.3 (label in name). */
  function markerElement(territory) {
    var pill = node("div", {"class": "essaim-marker", "data-territory": territory.code,
                            "aria-hidden": "true"});
    territory.segments.forEach(function (segment) {
      pill.appendChild(node("span", {
        "data-text": segment.stage, style: "background:" + segment.colour + ";color:" + segment.text
      }));
    });
    if (territory.segments.length > 1) {
      pill.appendChild(node("span", {"class": "essaim-count", "data-text": String(territory.segments.length)}));
    }
    return pill;
  }

  var scale = 1;  // 1.65 in projection mode (text of 20 px)

  function markerIcon(territory) {
    var width = scale * (8 + territory.segments.reduce(function (sum, s) {
      return sum + 10 + 8 * s.stage.length;
    }, 0) + (territory.segments.length > 1 ? 18 : 0));
    return L.divIcon({html: markerElement(territory), className: "essaim-divicon",
                      iconSize: [width, 22 * scale], iconAnchor: [Math.round(width / 2), 11 * scale]});
  }

  function tooltipContent(territory) {
    var box = node("div", {}, [node("b", {text: territory.name})]);
    territory.lines.forEach(function (line) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function departementTooltip(strings, indicatorLabel) {
    return function (layer) {
      var props = layer.feature.properties;
      return node("div", {}, [node("b", {text: props.nom}), document.createElement("br"),
        document.createTextNode(indicatorLabel + " : " + props.valeur)]);
    };
  }

  /* Keyboard: the focusable items of the map (markers, clusters, inset markers) form one
   * roving group: one tab stop, arrows between items, Enter or Space to activate. */
  function RovingGroup(strings) {
    this.items = [];
    this.current = null;
    this.strings = strings;
  }
  RovingGroup.prototype.set = function (items) {
    var previous = this.current && this.current.element;
    items.sort(function (a, b) { return a.label.localeCompare(b.label, "fr"); });
    this.items = items;
    this.current = items.filter(function (i) { return i.element === previous; })[0] || items[0] || null;
    var self = this;
    items.forEach(function (item) {
      item.element.setAttribute("tabindex", item === self.current ? "0" : "-1");
      item.element.setAttribute("role", "button");
      item.element.setAttribute("aria-label", item.label);
      item.element.removeAttribute("title");
      if (!item.element.essaimKeys) {
        item.element.essaimKeys = true;
        item.element.addEventListener("keydown", function (event) { self.onKey(event, item.element); });
      }
    });
  };
  RovingGroup.prototype.onKey = function (event, element) {
    var index = -1;
    for (var i = 0; i < this.items.length; i++) { if (this.items[i].element === element) { index = i; } }
    if (index < 0) { return; }
    var next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") { next = (index + 1) % this.items.length; }
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      next = (index - 1 + this.items.length) % this.items.length;
    }
    else if (event.key === "Home") { next = 0; }
    else if (event.key === "End") { next = this.items.length - 1; }
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();
      this.items[index].activate();
      return;
    }
    if (next === null) { return; }
    event.preventDefault();
    event.stopPropagation();
    this.focus(this.items[next]);
  };
  RovingGroup.prototype.focus = function (item) {
    if (this.current) { this.current.element.setAttribute("tabindex", "-1"); }
    this.current = item;
    item.element.setAttribute("tabindex", "0");
    item.element.focus({preventScroll: true});
  };

  function readSelection() {
    try {
      return new URLSearchParams(window.parent.location.search).get("territoire");
    } catch (error) {
      return null;
    }
  }

  function clusterColours(cluster, data) {
    var counts = {};
    cluster.getAllChildMarkers().forEach(function (marker) {
      marker.options.essaim.innovations.forEach(function (code) { counts[code] = (counts[code] || 0) + 1; });
    });
    return data.innovations.filter(function (i) { return counts[i.code]; }).map(function (i) {
      return {colour: i.colour, name: i.name, count: counts[i.code]};
    });
  }

  /* In a small inset, markers of nearby territories (Le Port and Saint-Denis) would cover each
   * other: each one that overlaps one already placed moves down a row. Every marker then stays
   * whole inside its inset (none cut at the edge). */
  function spreadInInset(small, markers) {
    var placed = [];
    var size = small.getSize();
    markers.forEach(function (marker) {
      var icon = marker.options.icon.options.iconSize;
      var point = small.latLngToContainerPoint(marker.getLatLng());
      var moved = true;
      while (moved) {
        moved = false;
        for (var i = 0; i < placed.length; i++) {
          if (Math.abs(placed[i].x - point.x) < icon[0] && Math.abs(placed[i].y - point.y) < icon[1]) {
            point = L.point(point.x, placed[i].y + icon[1] + 2);
            moved = true;
          }
        }
      }
      var halfWidth = icon[0] / 2 + 2;
      var halfHeight = icon[1] / 2 + 2;
      point = L.point(Math.min(Math.max(point.x, halfWidth), Math.max(size.x - halfWidth, halfWidth)),
                      Math.min(Math.max(point.y, halfHeight), Math.max(size.y - halfHeight, halfHeight)));
      placed.push(point);
      marker.setLatLng(small.containerPointToLatLng(point));
    });
  }

  /* The map's own document says it is French, has a French title and lets people pinch-zoom
   * (folium's page forbids it: WCAG 1.4.4). */
  function frenchDocument(strings) {
    document.documentElement.setAttribute("lang", "fr");
    document.title = strings.frameTitle;
    document.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      meta.setAttribute("content", "width=device-width, initial-scale=1.0");
    });
  }

  function showTable(anchor) {
    try {
      var page = window.parent.document;
      var heading = page.getElementById(anchor);
      if (!heading) { return; }
      // The table is folded in the first expander after the heading.
      var fold = Array.prototype.filter.call(page.querySelectorAll('[data-testid="stExpander"] details'),
        function (details) { return heading.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING; })[0];
      if (fold && !fold.open) { fold.querySelector("summary").click(); }
      heading.setAttribute("tabindex", "-1");
      heading.scrollIntoView({block: "start"});
      heading.focus({preventScroll: true});
    } catch (error) {
      window.parent.location.hash = anchor;
    }
  }

  window.essaimDrawMap = function (map, data) {
    var strings = data.strings;
    frenchDocument(strings);
    // The page may give the frame less height than the map was drawn for (a phone): the map
    // then takes the frame's height, so nothing is cut at the bottom.
    function fitFrame() {
      var element = map.getContainer();
      if (window.innerHeight > 0 && Math.abs(element.offsetHeight - window.innerHeight) > 2) {
        element.style.height = window.innerHeight + "px";
        map.invalidateSize({pan: false});
      }
    }
    fitFrame();
    window.addEventListener("resize", fitFrame);
    addStyles(CSS);
    if (data.large) { map.getContainer().classList.add("essaim-large"); }
    scale = data.large ? 1.65 : 1;
    var roving = new RovingGroup(strings);
    var byCode = {};
    var selected = readSelection();
    var clusters = [];
    var pendingFocus = null;

    var narrow = map.getContainer().clientWidth < 600;
    if (narrow) { map.getContainer().classList.add("essaim-narrow"); }
    // On a phone the insets take the top: the zoom buttons go to the bottom left.
    L.control.zoom({position: narrow ? "bottomleft" : "topright", zoomInTitle: strings.zoomIn,
                    zoomOutTitle: strings.zoomOut}).addTo(map);
    L.control.scale({imperial: false, metric: true, position: "bottomright"}).addTo(map);
    L.control.attribution({prefix: "Leaflet", position: "bottomright"})
      .addAttribution(narrow ? strings.attributionShort : strings.attribution).addTo(map);

    if (data.osm) {
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                  {attribution: strings.osmAttribution, maxZoom: 18}).addTo(map);
    }

    function highlight(code) {
      selected = code;
      Object.keys(byCode).forEach(function (key) {
        byCode[key].all.forEach(function (marker) {
          var element = marker.getElement();
          if (element) { element.classList.toggle("essaim-selected", key === code); }
        });
      });
    }

    var cluster;
    // The selection can also change outside the map (the panel's close button): after each
    // rerun, Streamlit sends the component a render message; the address then says what is
    // selected.
    window.addEventListener("message", function (event) {
      if (event.data && event.data.type === "streamlit:render") {
        setTimeout(function () { highlight(readSelection()); }, 300);
      }
    });

    function select(code) {
      var main = byCode[code].main;
      highlight(code);
      // streamlit-folium listens for clicks on the cluster group (a real click on a marker
      // reaches it too); the marker may be hidden in a cluster, so the group is told directly.
      cluster.fire("click", {latlng: main.getLatLng(), layer: main, sourceTarget: main});
    }

    cluster = L.markerClusterGroup({
      maxClusterRadius: 28, disableClusteringAtZoom: 8, spiderfyOnMaxZoom: true,
      showCoverageOnHover: false, removeOutsideVisibleBounds: false,
      iconCreateFunction: function (group) {
        var parts = clusterColours(group, data);
        var id = clusters.push(group) - 1;
        // Each territory with its innovations: "Lyon 8e (TAPAJ) ; Villeurbanne (SOLENI, TAPAJ)".
        var names = group.getAllChildMarkers().map(function (m) {
          return m.options.essaim.name + " (" + m.options.essaim.innovationNames.join(", ") + ")";
        }).sort(function (a, b) { return a.localeCompare(b, "fr"); });
        var pill = node("div", {"class": "essaim-cluster", "data-cluster": String(id), "aria-hidden": "true",
                                "data-label": strings.cluster.replace("{n}", names.length)
                                  .replace("{names}", names.join(" ; "))});
        parts.forEach(function (part) {
          pill.appendChild(node("i", {style: "background:" + part.colour}));
        });
        pill.appendChild(node("span", {"data-text": String(group.getChildCount())}));
        var width = scale * (30 + 15 * parts.length);
        return L.divIcon({html: pill, className: "essaim-divicon", iconSize: [width, 26 * scale],
                          iconAnchor: [Math.round(width / 2), 13 * scale]});
      }
    });

    data.territories.forEach(function (territory) {
      var marker = L.marker([territory.lat, territory.lon], {
        icon: markerIcon(territory), keyboard: true, essaim: territory, riseOnHover: true
      });
      marker.bindTooltip(tooltipContent(territory), {direction: "top", offset: [0, -12]});
      byCode[territory.code] = {main: marker, all: [marker], territory: territory};
      marker.on("click", function () { highlight(territory.code); });
      cluster.addLayer(marker);
    });
    cluster.addTo(map);

    /* Overseas insets, always visible beside mainland France: a column on the left, or a row
     * along the top on a phone (the attribution and the scale keep the bottom). */
    var container = map.getContainer();
    var insetBox = node("div", {"class": "essaim-insets " + (narrow ? "row" : "column")});
    if (!narrow) {
      // Projection: wide enough for every name at 20 px; otherwise about square.
      insetBox.style.width = (data.large ? 175 : Math.round(Math.min(130,
        (container.clientHeight - 16) / data.insets.length))) + "px";
    } else {
      insetBox.style.height = "98px";
    }
    container.appendChild(insetBox);
    L.DomEvent.disableClickPropagation(insetBox);
    L.DomEvent.disableScrollPropagation(insetBox);
    var insetMaps = [];
    // Every frame first, then the maps: each map measures its final size when it fits its
    // département (a map made while the row held fewer frames would be fitted too wide).
    var holders = data.insets.map(function (inset) {
      var frame = node("div", {"class": "essaim-inset"});
      var title = node("button", {"class": "essaim-inset-title", type: "button", tabindex: "-1",
                                  text: inset.name, title: strings.insetTitle.replace("{name}", inset.name)});
      var holder = node("div", {"class": "essaim-inset-map"});
      frame.appendChild(title);
      frame.appendChild(holder);
      insetBox.appendChild(frame);
      title.addEventListener("click", function () { map.fitBounds(inset.bounds, {padding: [20, 20]}); });
      return holder;
    });
    data.insets.forEach(function (inset, index) {
      var small = L.map(holders[index], {zoomControl: false, attributionControl: false, dragging: false,
                                         scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false,
                                         keyboard: false, touchZoom: false, zoomSnap: 0});
      small.fitBounds(inset.bounds, {padding: narrow ? [6, 6] : [12, 12], animate: false});
      insetMaps.push({map: small, inset: inset});
    });

    function fitMain(bounds) {
      // Clear of the insets, the zoom buttons and the attribution with the scale at the bottom.
      var below = 8 + Math.max.apply(null, Array.prototype.map.call(
        container.querySelectorAll(".leaflet-bottom"), function (corner) { return corner.offsetHeight; }).concat([30]));
      var padding = narrow ? {paddingTopLeft: [14, insetBox.offsetHeight + 20], paddingBottomRight: [14, below]}
                           : {paddingTopLeft: [insetBox.offsetWidth + 30, 16], paddingBottomRight: [60, below]};
      map.fitBounds(bounds, Object.assign({animate: false}, padding));
    }

    var reset = L.control({position: narrow ? "bottomleft" : "topright"});
    reset.onAdd = function () {
      var button = node("button", {"class": "essaim-reset", type: "button",
                                   text: narrow ? strings.resetShort : strings.reset,
                                   title: strings.resetTitle});
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", function () { fitMain(data.mainland); });
      return button;
    };
    reset.addTo(map);

    /* The département values without a mouse: a link to the table that follows the map in the
     * page (same origin), opened and focused. */
    if (data.tableAnchor) {
      var tableLink = L.control({position: narrow ? "bottomleft" : "topright"});
      tableLink.onAdd = function () {
        var button = node("button", {"class": "essaim-table-link", type: "button",
                                     text: narrow ? strings.tableLinkShort : strings.tableLink,
                                     title: strings.tableLinkTitle});
        L.DomEvent.disableClickPropagation(button);
        button.addEventListener("click", function () { showTable(data.tableAnchor); });
        return button;
      };
      tableLink.addTo(map);
    }
    fitMain(data.fit || data.mainland);  // once every control is in place

    function refreshRoving() {
      var items = [];
      var view = map.getBounds();
      cluster.getLayers().forEach(function (marker) {
        var shown = cluster.getVisibleParent(marker);
        if (shown !== marker) { return; }
        var element = marker.getElement();
        if (!element || !view.contains(marker.getLatLng())) { return; }
        element.classList.toggle("essaim-selected", marker.options.essaim.code === selected);
        items.push({element: element, label: marker.options.essaim.label,
                    activate: function () { select(marker.options.essaim.code); }});
      });
      container.querySelectorAll(".leaflet-marker-pane .essaim-cluster").forEach(function (pill) {
        var element = pill.closest(".leaflet-marker-icon");
        var group = clusters[Number(pill.getAttribute("data-cluster"))];
        if (!element || !group || !view.contains(group.getLatLng())) { return; }
        items.push({element: element, label: pill.getAttribute("data-label"),
                    activate: function () {
                      // After the zoom, the keyboard goes on with the group's first territory.
                      pendingFocus = group.getAllChildMarkers().map(function (m) { return m.options.essaim.label; })
                        .sort(function (a, b) { return a.localeCompare(b, "fr"); })[0];
                      group.zoomToBounds({padding: [40, 40]});
                    }});
      });
      insetMaps.forEach(function (entry) {
        entry.markers.forEach(function (marker) {
          var element = marker.getElement();
          if (!element) { return; }
          element.classList.toggle("essaim-selected", marker.options.essaim.code === selected);
          items.push({element: element, label: marker.options.essaim.label + " (" + entry.inset.name + ")",
                      activate: function () { select(marker.options.essaim.code); }});
        });
      });
      // Markers outside the view (overseas ones beside their inset) stay out of the keyboard
      // order and of what screen readers list: the inset holds them.
      var listed = items.map(function (item) { return item.element; });
      container.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon").forEach(function (element) {
        if (listed.indexOf(element) >= 0) { element.removeAttribute("aria-hidden"); return; }
        element.setAttribute("tabindex", "-1");
        element.setAttribute("aria-hidden", "true");
      });
      roving.set(items);
      if (pendingFocus) {
        var wanted = items.filter(function (item) { return item.label === pendingFocus; })[0];
        if (wanted) { pendingFocus = null; roving.focus(wanted); }
      }
    }

    // Shapes are added after streamlit-folium has bound its click listener to the map's layers
    // (right after this script): a click on a département then does not rerun the page.
    setTimeout(function () {
      var style = function (feature) {
        return {fillColor: feature.properties.fill, color: "#555555", weight: 0.7, fillOpacity: 0.75};
      };
      var shapes = L.geoJSON(data.departements, {style: style})
        .bindTooltip(departementTooltip(strings, data.indicatorLabel), {sticky: true});
      shapes.addTo(map);
      shapes.bringToBack();
      var outlines = [shapes];
      if (data.epci) {
        outlines.push(L.geoJSON(data.epci, {style: {fill: false, color: "#b35c00", weight: 2, dashArray: "6 4"}})
          .bindTooltip(function (layer) { return node("div", {text: "EPCI : " + layer.feature.properties.nom}); },
                       {sticky: true})
          .addTo(map));
      }
      // Leaflet opens a shape's tooltip on focus; Chromium then makes every SVG shape a tab stop
      // (a hundred of them). The shapes are for the pointer: the values are in the legend, the
      // panel and the portrait.
      outlines.forEach(function (group) {
        group.eachLayer(function (layer) {
          var element = layer.getElement();
          if (element) { element.setAttribute("tabindex", "-1"); element.setAttribute("focusable", "false"); }
        });
      });
      insetMaps.forEach(function (entry) {
        var code = entry.inset.code;
        L.geoJSON(data.departements, {
          style: style, interactive: false,
          filter: function (feature) { return feature.properties.code === code; }
        }).addTo(entry.map);
        entry.markers = [];
        data.territories.forEach(function (territory) {
          if (territory.departement !== code) { return; }
          var marker = L.marker([territory.lat, territory.lon], {
            icon: markerIcon(territory), keyboard: true, essaim: territory, autoPanOnFocus: false
          }).addTo(entry.map);
          marker.bindTooltip(tooltipContent(territory), {direction: "top", offset: [0, -12]});
          marker.on("click", function () { select(territory.code); });
          byCode[territory.code].all.push(marker);
          entry.markers.push(marker);
        });
        spreadInInset(entry.map, entry.markers);
      });
      refreshRoving();
      map.on("moveend zoomend", function () { setTimeout(refreshRoving, 350); });
      cluster.on("animationend spiderfied unspiderfied", refreshRoving);
    }, 0);
  };
}());
