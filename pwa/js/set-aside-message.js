// What a response set aside after repeated server failures says, in both languages. Its own
// module: the outbox (which runs in the service worker too) needs only this, not the app's
// whole string table.
export const SET_ASIDE_MESSAGE = Object.freeze({
  vi: 'Máy chủ gặp lỗi mỗi lần nhận phiếu này, nên phiếu được để riêng để các phiếu khác vẫn gửi được. Phiếu vẫn được giữ trên máy: hãy thử gửi lại sau, hoặc xuất tệp gửi cho quản trị viên.',
  en: 'The server failed every time it received this response, so it was set aside to let the others through. It is kept on this phone: try again later, or export it to a file for the admin.',
});
