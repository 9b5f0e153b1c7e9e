// chat_staff.js - keeps the back office's chat console live: the list of
// chats is fetched again every 10 seconds (new chats appear without a
// reload), and for the open chat an EventSource on the messages' data-events
// URL appends each new message (it resumes by itself after the last one it
// got), the answer form is sent with fetch so the page stays put, and when
// the chat closes the page reloads to show it closed. Without JavaScript the
// forms post and the page reloads.
(function () {
  'use strict';
  if (!window.fetch) return;
  var chats = document.querySelector('[data-testid="chat-list"]');
  if (chats && window.DOMParser) {
    setInterval(function () {
      fetch(window.location.pathname, { credentials: 'same-origin' }).then(function (res) {
        return res.ok ? res.text() : null;
      }).then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-testid="chat-list"]');
        var now = document.querySelector('[data-testid="chat-list"]');
        if (fresh && now) now.replaceWith(document.importNode(fresh, true));
      });
    }, 10000);
  }
  var list = document.querySelector('[data-events]');
  if (!list || !window.EventSource) return;
  var t = function (key) { return list.getAttribute('data-t-' + key) || key; };
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll('li[data-id]'), function (li) {
    seen[li.getAttribute('data-id')] = true;
  });

  function add(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    var li = document.createElement('li');
    li.className = 'card' + (m.author === 'staff' ? ' thread-staff' : '');
    li.setAttribute('data-id', m.id);
    var head = document.createElement('p');
    head.className = 'muted';
    var who = document.createElement('strong');
    who.textContent = m.author === 'staff' ? t('staff') : m.author === 'system' ? t('system') : t('customer');
    head.appendChild(who);
    var body = document.createElement('p');
    body.className = 'pre-line';
    body.textContent = m.body;
    li.appendChild(head);
    li.appendChild(body);
    list.appendChild(li);
    li.scrollIntoView({ block: 'nearest' });
  }

  var src = new EventSource(list.getAttribute('data-events') + '?after=' + list.getAttribute('data-after'));
  src.addEventListener('message', function (ev) { add(JSON.parse(ev.data)); });
  src.addEventListener('closed', function () { src.close(); window.location.reload(); });

  var form = document.querySelector('form.chat-reply');
  if (!form) return;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = form.querySelector('textarea');
    var data = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual' })
      .then(function (res) {
        if (res.type === 'opaqueredirect' || res.status === 303) { text.value = ''; return; }
        form.submit(); // the page shows why
      });
  });
}());
