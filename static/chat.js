// chat.js - the live chat panel behind the layout's chat button (a link to
// /chat, which works without JavaScript). It talks to the chat API: the
// caller's open chat (GET /api/v1/chats/current), starting one (a visitor
// gives an email and a name), writing, ending; new messages arrive through
// an EventSource on /api/v1/chats/{id}/events, which resumes by itself after
// the last message it got. Texts come from the button's data-t-* attributes
// (the page's language); everything is built with textContent, never HTML.
(function () {
  'use strict';
  var button = document.getElementById('chat-button');
  if (!button || !window.fetch || !window.EventSource) return;
  var t = function (key) { return button.getAttribute('data-t-' + key) || key; };
  var signedIn = !!button.getAttribute('data-csrf');
  var state = { id: 0, csrf: button.getAttribute('data-csrf') || '', source: null, seen: {} };
  var panel = null;
  var body = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function call(method, path, payload) {
    var headers = { Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    if (state.csrf && method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin',
      body: payload === undefined ? undefined : JSON.stringify(payload) })
      .then(function (res) {
        return res.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          return { status: res.status, body: json };
        });
      });
  }

  function showError(where, answer) {
    var msg = answer && answer.body && answer.body.error ? answer.body.error.message : t('error');
    var p = el('p', { 'class': 'field-error', 'data-testid': 'chat-panel-error', role: 'alert' }, msg);
    where.appendChild(p);
  }

  function clear() {
    while (body.firstChild) body.removeChild(body.firstChild);
  }

  function addMessage(list, m) {
    if (state.seen[m.id]) return;
    state.seen[m.id] = true;
    var who = m.author === 'staff' ? t('staff') : m.author === 'system' ? t('system') : t('you');
    var li = el('li', { 'class': 'chat-msg chat-msg-' + m.author, 'data-testid': 'chat-panel-message' });
    li.appendChild(el('strong', {}, who));
    li.appendChild(el('span', { 'class': 'pre-line' }, m.body));
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  function listen(list, after) {
    if (state.source) state.source.close();
    var src = new EventSource('/api/v1/chats/' + state.id + '/events?after=' + after);
    state.source = src;
    src.addEventListener('message', function (ev) { addMessage(list, JSON.parse(ev.data)); });
    src.addEventListener('closed', function () {
      src.close();
      state.source = null;
      ended();
    });
  }

  function ended() {
    var form = body.querySelector('form');
    if (form) form.parentNode.removeChild(form);
    body.appendChild(el('p', { 'class': 'muted', 'data-testid': 'chat-panel-closed' }, t('closed')));
    var again = el('button', { type: 'button', 'class': 'btn btn-quiet' }, t('again'));
    again.addEventListener('click', function () { state.id = 0; showStart(); });
    body.appendChild(again);
  }

  function showChat(answer) {
    clear();
    state.id = answer.chat.id;
    state.seen = {};
    if (answer.visitor_csrf) state.csrf = answer.visitor_csrf;
    var list = el('ol', { 'class': 'chat-messages', 'data-testid': 'chat-panel-messages', 'aria-live': 'polite' });
    body.appendChild(list);
    var last = 0;
    answer.messages.forEach(function (m) { addMessage(list, m); last = m.id; });
    if (answer.chat.status === 'closed') return ended();
    var form = el('form', { 'class': 'chat-write', 'data-testid': 'chat-panel-write' });
    var label = el('label', { 'for': 'chat-panel-body', 'class': 'visually-hidden' }, t('message'));
    var text = el('textarea', { id: 'chat-panel-body', name: 'body', rows: '2', maxlength: '4000', required: '' });
    var send = el('button', { type: 'submit', 'class': 'btn btn-primary' }, t('send'));
    var end = el('button', { type: 'button', 'class': 'btn btn-quiet', 'data-testid': 'chat-panel-end' }, t('end'));
    form.appendChild(label);
    form.appendChild(text);
    form.appendChild(send);
    form.appendChild(end);
    body.appendChild(form);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var old = form.querySelector('.field-error');
      if (old) old.parentNode.removeChild(old);
      call('POST', '/api/v1/chats/' + state.id + '/messages', { body: text.value }).then(function (a) {
        if (a.status !== 201) return showError(form, a);
        text.value = '';
        addMessage(list, a.body);
      });
    });
    text.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
    });
    end.addEventListener('click', function () {
      call('POST', '/api/v1/chats/' + state.id + '/close').then(function (a) {
        if (a.status !== 200) showError(form, a);
      });
    });
    listen(list, last);
    text.focus();
  }

  function field(form, name, type, label) {
    var id = 'chat-panel-' + name;
    var wrap = el('div', { 'class': 'field' });
    wrap.appendChild(el('label', { 'for': id }, label));
    var input = type === 'textarea' ? el('textarea', { id: id, name: name, rows: '3', maxlength: '4000' })
      : el('input', { id: id, name: name, type: type });
    wrap.appendChild(input);
    form.appendChild(wrap);
    return input;
  }

  function showStart() {
    clear();
    var form = el('form', { 'data-testid': 'chat-panel-start', novalidate: '' });
    var email = signedIn ? null : field(form, 'email', 'email', t('email'));
    var name = signedIn ? null : field(form, 'name', 'text', t('name'));
    var message = field(form, 'message', 'textarea', t('message'));
    form.appendChild(el('button', { type: 'submit', 'class': 'btn btn-primary' }, t('start')));
    body.appendChild(form);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var old = form.querySelector('.field-error');
      if (old) old.parentNode.removeChild(old);
      var payload = { message: message.value };
      if (!signedIn) { payload.email = email.value; payload.name = name.value; }
      call('POST', '/api/v1/chats', payload).then(function (a) {
        if (a.status !== 201) return showError(form, a);
        showChat(a.body);
      });
    });
  }

  function open() {
    panel = el('section', { 'class': 'chat-panel', id: 'chat-panel', 'data-testid': 'chat-panel',
      'aria-label': t('title') });
    var head = el('div', { 'class': 'chat-panel-head' });
    head.appendChild(el('h2', {}, t('title')));
    var hide = el('button', { type: 'button', 'class': 'btn btn-quiet' }, t('hide'));
    hide.addEventListener('click', function () { panel.hidden = true; button.hidden = false; });
    head.appendChild(hide);
    panel.appendChild(head);
    body = el('div', { 'class': 'chat-panel-body' });
    panel.appendChild(body);
    document.body.appendChild(panel);
    call('GET', '/api/v1/chats/current').then(function (a) {
      if (a.status === 200) showChat(a.body);
      else showStart();
    });
  }

  button.addEventListener('click', function (ev) {
    ev.preventDefault();
    button.hidden = true;
    if (panel) panel.hidden = false;
    else open();
  });
}());
