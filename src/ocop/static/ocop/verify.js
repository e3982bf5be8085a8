// Checks an OCOP Hub certificate QR in the browser, with no network: the provinces' public keys are in the page and
// the signature is checked with the browser's own Ed25519 (WebCrypto). The same rules as `ocop verify-qr`: the QR's
// OCOP1 form (<address>#<key>.<claim>.<signature>), a certificate's compact JWS, or an address with the JWS after "#".
(function () {
  "use strict";
  const form = document.getElementById("offline-check");
  if (!form) return;
  const keys = JSON.parse(document.getElementById("ocop-keys").textContent);
  const msgs = JSON.parse(document.getElementById("ocop-messages").textContent);
  const out = document.getElementById("offline-result");
  const site = JSON.parse(document.getElementById("ocop-site").textContent);
  const CODE = /^[23456789A-HJKMNP-Z]{6,16}$/;  // certificates.rules.CODE_ALPHABET

  function origin(address) {
    try {
      return new URL(address).origin;
    } catch (e) {
      return null;
    }
  }

  function official(address) {
    return origin(address) !== null && origin(address) === origin(site.base);
  }

  function bytes(text) {
    let s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    const bin = atob(s);
    return Uint8Array.from(bin, function (c) { return c.charCodeAt(0); });
  }

  function text(part) {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes(part));
  }

  // A pack's GS1 Digital Link: <site>/01/<GTIN-14>[/<qualifiers>], the GTIN with a good check digit.
  function digitalLink(address) {
    const at = address.indexOf("/01/");
    if (at < 0) return false;
    const gtin = address.slice(at + 4).split("/")[0].split("?")[0];
    if (!/^[0-9]{14}$/.test(gtin)) return false;
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(gtin[i]) * (i % 2 === 0 ? 3 : 1);
    return (10 - (sum % 10)) % 10 === Number(gtin[13]);
  }

  // The protected header of a compact JWS (three base64url parts, the first a JSON object with "alg"), else null.
  function jwsHeader(value) {
    const parts = value.split(".");
    if (parts.length !== 3) return null;
    try {
      const header = JSON.parse(text(parts[0]));
      return header && typeof header === "object" && !Array.isArray(header) && "alg" in header ? header : null;
    } catch (e) {
      return null;
    }
  }

  async function signed(pub, signature, data) {
    try {
      const key = await crypto.subtle.importKey("raw", bytes(pub), { name: "Ed25519" }, false, ["verify"]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(data));
    } catch (e) {
      return false;
    }
  }

  // A key signs only its own body's certificates: its id is the body's code (a province's, or TW) and six hex digits,
  // and the certificate number starts with that code (01-2025-00001), as a JWS's "issuer" is (signing.py).
  function ownBody(kid, number, issuer) {
    const body = kid.slice(0, -6);
    return body !== "" && number.indexOf(body + "-") === 0 && (issuer === undefined || issuer === body);
  }

  function otherBody(kid, claim) {
    const reason = msgs.other_body.replace("%(key)s", kid.slice(0, 16)).replace("%(number)s", claim.number.slice(0, 40));
    return { ok: false, reason: reason, claim: claim };
  }

  // The verdict once the signature is good: the address must be the certificate's (or a pack's Digital Link) on the
  // official site. A bare JWS has no address: nothing more to compare.
  function placed(address, claim) {
    if (!address) return { ok: true, reason: msgs.ok, claim: claim };
    const code = address.replace(/\/+$/, "").split("/v/").pop().toUpperCase();
    if (address.indexOf("/v/") >= 0 && code !== claim.code) return { ok: false, reason: msgs.mismatch, claim: claim };
    if (!official(address)) {
      // A genuine signature copied under another web address: the link leads elsewhere (a look-alike site).
      return { ok: false, verdict: "warn", mark: "⚠ ", reason: msgs.foreign.replace("%(base)s", site.base), claim: claim };
    }
    return { ok: true, reason: msgs.ok, claim: claim };
  }

  // The claim as a compact JWS (EdDSA, kid = the key id), its payload a JSON object (docs/api.md).
  async function checkJws(token, address) {
    if (address && address.indexOf("/v/") < 0 && !digitalLink(address)) return { ok: false, reason: msgs.not_ours };
    const parts = token.split(".");
    const header = jwsHeader(token);
    let claim, issuer;
    try {
      const d = JSON.parse(text(parts[1]));
      issuer = Object.prototype.hasOwnProperty.call(d, "issuer") ? d.issuer : undefined;
      const fields = [d.number, d.code, d.product, d.issued_on, d.valid_until];
      if (!fields.every(function (f) { return typeof f === "string"; }) || !Number.isInteger(d.stars)) throw new Error();
      claim = { number: d.number, code: d.code, product: d.product, stars: d.stars, from: d.issued_on, until: d.valid_until };
    } catch (e) {
      return { ok: false, reason: msgs.damaged };
    }
    const kid = typeof header.kid === "string" ? header.kid : "";
    const pub = Object.prototype.hasOwnProperty.call(keys, kid) ? keys[kid] : null;
    if (!pub) return { ok: false, reason: msgs.unknown_key.replace("%(key)s", String(header.kid).slice(0, 16)), claim: claim };
    let signature;
    try {
      signature = bytes(parts[2]);
    } catch (e) {
      return { ok: false, reason: msgs.forged, claim: claim };
    }
    // Only EdDSA: a header naming another algorithm ("none" above all) is never taken as signed.
    if (header.alg !== "EdDSA" || !(await signed(pub, signature, parts[0] + "." + parts[1]))) {
      return { ok: false, reason: msgs.forged, claim: claim };
    }
    if (!ownBody(kid, claim.number, issuer)) return otherBody(kid, claim);
    return placed(address, claim);
  }

  async function check(value) {
    const trimmed = value.trim();
    const cut = trimmed.indexOf("#");
    const address = cut < 0 ? trimmed : trimmed.slice(0, cut);
    const fragment = cut < 0 ? "" : trimmed.slice(cut + 1);
    if (cut < 0 && jwsHeader(address)) return checkJws(address, "");
    if (jwsHeader(fragment)) return checkJws(fragment, address);
    const parts = cut < 0 ? [] : fragment.split(".");
    const code = address.replace(/\/+$/, "").split("/v/").pop().toUpperCase();
    if (cut < 0 && address.indexOf("/v/") >= 0 && CODE.test(code) && official(address)) {
      // A certificate imported from paper records has no signature: only the site can tell its status.
      return { ok: false, verdict: "warn", mark: "ℹ ", reason: msgs.unsigned };
    }
    if ((address.indexOf("/v/") < 0 && !digitalLink(address)) || parts.length !== 3) {
      return { ok: false, reason: msgs.not_ours };
    }
    let claimText, signature;
    try {
      claimText = text(parts[1]);
      signature = bytes(parts[2]);
    } catch (e) {
      return { ok: false, reason: msgs.damaged };
    }
    const f = claimText.split("|");
    if (f.length !== 7 || f[0] !== "OCOP1") return { ok: false, reason: msgs.damaged };
    const claim = { number: f[1], code: f[2], product: f[3], stars: f[4], from: f[5], until: f[6] };
    const pub = Object.prototype.hasOwnProperty.call(keys, parts[0]) ? keys[parts[0]] : null;
    if (!pub) return { ok: false, reason: msgs.unknown_key.replace("%(key)s", parts[0].slice(0, 16)), claim: claim };
    if (!(await signed(pub, signature, claimText))) return { ok: false, reason: msgs.forged, claim: claim };
    if (!ownBody(parts[0], claim.number)) return otherBody(parts[0], claim);
    return placed(address, claim);
  }

  function day(iso) {
    const p = iso.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  }

  function show(result) {
    out.hidden = false;
    const verdict = result.verdict || (result.ok ? "valid" : "missing");
    out.className = "verdict s-" + verdict;
    out.dataset.ok = result.ok ? "true" : "false";
    out.dataset.verdict = verdict;
    out.textContent = (result.mark || (result.ok ? "✔ " : "✘ ")) + result.reason;
    if (result.claim) {
      const c = result.claim;
      const small = document.createElement("small");
      const today = new Date().toISOString().slice(0, 10);
      small.textContent = c.number + " · " + c.product + " · " + c.stars + "★ · " + day(c.from) + " – " + day(c.until) +
        (result.ok ? " · " + (today > c.until ? msgs.ended : msgs.in_dates) : "");
      out.appendChild(small);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(form.elements.payload.value).then(show);
  });

  // Once visited, the page works with no network: a service worker keeps it, its files and the keys on the device.
  const ready = document.getElementById("offline-ready");
  if ("serviceWorker" in navigator && form.dataset.worker) {
    navigator.serviceWorker.register(form.dataset.worker, { scope: form.dataset.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      ready.textContent = msgs.offline_ready;
      ready.hidden = false;
      ready.dataset.ready = "true";
    }, function () { /* no service worker (a private window, an old browser): the page still works online */ });
  }
})();
