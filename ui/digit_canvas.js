// LeNet-5's drawing pad (a Streamlit components v2 module): a white square, a black round pen for
// mouse, pen or finger, and a Clear button. When a stroke ends the drawing goes to Python as the
// state value "drawing", a PNG data URL (null once cleared). Python passes the drawing back as
// data.drawing, so a freshly mounted pad shows what the session drew.

const PEN_WIDTH = 18; // in canvas pixels (the canvas is 280 wide): a felt-tip on a 28-pixel digit grid

export default function ({ parentElement, data, setStateValue }) {
  const canvas = parentElement.querySelector("canvas");
  if (data && data.words) { // the page's language, on every call (the switch may have changed it)
    canvas.setAttribute("aria-label", data.words.pad);
    parentElement.querySelector("button").textContent = data.words.clear;
  }
  if (canvas.dataset.ready) return; // Streamlit calls this again when data changes: set up once
  canvas.dataset.ready = "1";
  const pen = canvas.getContext("2d");
  let last = null;

  const blank = () => {
    pen.fillStyle = "#fff";
    pen.fillRect(0, 0, canvas.width, canvas.height);
  };
  const at = (event) => { // in canvas pixels: the canvas may be shown smaller, and has a border
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left - canvas.clientLeft) * (canvas.width / canvas.clientWidth),
            (event.clientY - box.top - canvas.clientTop) * (canvas.height / canvas.clientHeight)];
  };
  const dot = ([x, y]) => {
    pen.fillStyle = "#000";
    pen.beginPath();
    pen.arc(x, y, PEN_WIDTH / 2, 0, 2 * Math.PI);
    pen.fill();
  };
  const lineTo = (point) => {
    pen.beginPath();
    pen.moveTo(...last);
    pen.lineTo(...point);
    pen.stroke();
    last = point;
  };

  blank();
  Object.assign(pen, { strokeStyle: "#000", lineWidth: PEN_WIDTH, lineCap: "round", lineJoin: "round" });
  if (data && data.drawing) {
    const image = new Image();
    image.onload = () => pen.drawImage(image, 0, 0, canvas.width, canvas.height);
    image.src = data.drawing;
  }

  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = at(event);
    dot(last); // a tap leaves a dot
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const move of moves.length ? moves : [event]) lineTo(at(move));
  });
  const end = () => {
    if (!last) return;
    last = null;
    setStateValue("drawing", canvas.toDataURL("image/png"));
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  parentElement.querySelector("button").addEventListener("click", () => {
    blank();
    setStateValue("drawing", null);
  });
}
