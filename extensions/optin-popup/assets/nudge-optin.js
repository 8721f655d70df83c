/* Nudge SMS sign-up popup. Plain JS, no dependencies, loaded with defer. */
(function () {
  "use strict";
  var configEl = document.getElementById("nudge-optin-config");
  if (!configEl || window.__nudgeOptin) return;
  window.__nudgeOptin = true;
  var cfg = JSON.parse(configEl.textContent);
  var KEY = "nudge-optin:hide-until";
  var COUNTRIES = { US: "+1", CA: "+1", GB: "+44", AU: "+61", NZ: "+64", IE: "+353", DE: "+49", FR: "+33", NL: "+31", ES: "+34", IT: "+39" };

  function hiddenFor() {
    try {
      return Number(localStorage.getItem(KEY) || 0) > Date.now();
    } catch (_e) {
      return false;
    }
  }
  function hide(days) {
    try {
      localStorage.setItem(KEY, String(Date.now() + days * 864e5));
    } catch (_e) {
      /* private mode */
    }
  }
  var mobile = window.matchMedia("(max-width: 749px)").matches;
  if (hiddenFor() || (mobile && !cfg.showOnMobile) || (!mobile && !cfg.showOnDesktop)) return;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) node.appendChild(c);
    });
    return node;
  }

  var opened = false;
  var lastFocus = null;
  var root, form, phone, country, error, button;

  function build() {
    country = el("select", { id: "nudge-optin-country", name: "country", autocomplete: "tel-country-code" });
    if (!COUNTRIES[cfg.defaultCountry]) COUNTRIES[cfg.defaultCountry] = "";
    Object.keys(COUNTRIES).forEach(function (code) {
      var option = el("option", { value: code, text: code + (COUNTRIES[code] ? " " + COUNTRIES[code] : "") });
      if (code === cfg.defaultCountry) option.selected = true;
      country.appendChild(option);
    });
    phone = el("input", { id: "nudge-optin-phone", name: "phone", type: "tel", inputmode: "tel", autocomplete: "tel-national", required: "", "aria-describedby": "nudge-optin-error" });
    error = el("p", { id: "nudge-optin-error", class: "nudge-optin__error", role: "alert", "aria-live": "assertive" });
    button = el("button", { type: "submit", class: "nudge-optin__submit", text: cfg.button });
    var privacy = cfg.privacyUrl ? el("a", { href: cfg.privacyUrl, target: "_blank", rel: "noopener", text: cfg.labels.privacy }) : null;
    form = el("form", { class: "nudge-optin__form", novalidate: "" }, [
      el("div", { class: "nudge-optin__row" }, [el("label", { for: "nudge-optin-country", class: "nudge-optin__label", text: cfg.labels.country }), country]),
      el("div", { class: "nudge-optin__row" }, [el("label", { for: "nudge-optin-phone", class: "nudge-optin__label", text: cfg.labels.phone }), phone]),
      error,
      button,
      el("p", { id: "nudge-optin-disclosure", class: "nudge-optin__disclosure", text: cfg.disclosure }),
      privacy,
    ]);
    var close = el("button", { type: "button", class: "nudge-optin__close", "aria-label": cfg.labels.close, text: "\u00d7" });
    var dialog = el("div", { class: "nudge-optin__dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "nudge-optin-heading", "aria-describedby": "nudge-optin-offer" }, [
      close,
      el("h2", { id: "nudge-optin-heading", class: "nudge-optin__heading", text: cfg.heading }),
      el("p", { id: "nudge-optin-offer", class: "nudge-optin__offer", text: cfg.offer }),
      form,
    ]);
    root = el("div", { class: "nudge-optin", hidden: "" }, [dialog]);
    document.body.appendChild(root);

    close.addEventListener("click", dismiss);
    root.addEventListener("click", function (e) {
      if (e.target === root) dismiss();
    });
    root.addEventListener("keydown", onKey);
    form.addEventListener("submit", submit);
  }

  function focusables() {
    return Array.prototype.filter.call(root.querySelectorAll("button, input, select, a[href]"), function (n) {
      return !n.disabled && n.offsetParent !== null;
    });
  }
  function onKey(e) {
    if (e.key === "Escape") {
      e.preventDefault();
      dismiss();
      return;
    }
    if (e.key !== "Tab") return;
    var items = focusables();
    var first = items[0],
      last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  function open() {
    if (opened || hiddenFor()) return;
    opened = true;
    build();
    lastFocus = document.activeElement;
    root.hidden = false;
    phone.focus();
  }
  function closeDialog() {
    root.hidden = true;
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }
  function dismiss() {
    hide(cfg.suppressDays);
    closeDialog();
  }

  function showError(message) {
    error.textContent = message;
    phone.setAttribute("aria-invalid", "true");
    phone.focus();
  }

  function pixelClientId() {
    var match = /(?:^|;\s*)_nudge_cid=([A-Za-z0-9._:-]{8,100})(?:;|$)/.exec(document.cookie);
    return match ? match[1] : undefined;
  }

  function submit(e) {
    e.preventDefault();
    error.textContent = "";
    phone.removeAttribute("aria-invalid");
    if (!phone.value.trim()) return showError("Enter your mobile number.");
    button.disabled = true;
    fetch(cfg.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({
        phone: phone.value,
        country: country.value,
        consent: true,
        disclosureText: cfg.disclosure,
        disclosureVersion: cfg.disclosureVersion,
        pageUrl: location.href.split("#")[0],
        // Set by the Nudge web pixel (extensions/nudge-pixel): ties this browser's storefront
        // events to the shopper who signs up (issue #18, item 4).
        clientId: pixelClientId(),
      }),
    })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { ok: res.ok, body: body };
          });
      })
      .then(function (r) {
        if (!r.ok || !r.body.ok) return showError(r.body.error || "Something went wrong. Please try again.");
        hide(cfg.suppressDays);
        form.replaceWith(el("p", { class: "nudge-optin__success", role: "status", text: cfg.success }));
        root.querySelector(".nudge-optin__close").focus();
      })
      .catch(function () {
        showError("We couldn't reach the store. Please try again.");
      })
      .then(function () {
        button.disabled = false;
      });
  }

  if (cfg.trigger === "exit_intent" && !mobile) {
    document.addEventListener("mouseout", function onLeave(e) {
      if (!e.relatedTarget && e.clientY <= 0) {
        document.removeEventListener("mouseout", onLeave);
        open();
      }
    });
  } else {
    setTimeout(open, Math.max(0, cfg.delaySeconds) * 1000);
  }
})();
