// Helpers shared by the phone page's scripts (a session, a national day): DOM, storage, ids,
// French numbers. Text from people is only ever set with textContent.
'use strict';
window.essaimCommun = (function () {
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'on') Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); });
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function load(key) { try { return JSON.parse(localStorage.getItem('essaim:' + key)); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem('essaim:' + key, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ } }
  function randomId() {
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function fr(n) { return String(Math.round(n * 10) / 10).replace('.', ','); }
  function plural(n, one, many) { return fr(n) + '\u00a0' + (Math.abs(n) >= 2 ? many : one); }
  return { el: el, load: load, save: save, randomId: randomId, fr: fr, plural: plural };
})();
