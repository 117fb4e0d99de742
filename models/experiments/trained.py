"""Trained experiments on the digits: ReLU and dropout (AlexNet), batch normalization
(BN-Inception), the degradation problem (ResNet) and label smoothing (Inception-v3)."""

from __future__ import annotations

from torch import nn

from lineage.text import Text
from models.experiments.base import SEED, Experiment, Measurements, Paper, Report, Setting, Verdict
from models.experiments.training import Run, calibration_error, digits, evaluate, first_step, mlp, stack, train

STEPS = Setting("steps", "Training steps", 400, 20, 1500, help="mini-batches of 64 per variant")


def _lr(default: float, maximum: float = 1.0) -> Setting:
    return Setting("lr", "Learning rate", default, 0.001, maximum, integer=False)


def _loss(value: float | None) -> float:
    """A diverged loss (None) compares as infinitely bad."""
    return float("inf") if value is None else value


def _relu_dropout(s: dict, report: Report) -> Measurements:
    run = Run(int(s["steps"]), s["lr"], int(s["seed"]), digits(300))
    variants = [train("tanh", False, lambda: mlp(128, 4, nn.Tanh), run, report)[0],
                train("ReLU", True, lambda: mlp(128, 4, nn.ReLU), run, report)[0],
                train("ReLU + dropout 0.5", True, lambda: mlp(128, 4, nn.ReLU, dropout=0.5), run, report)[0]]
    reach = [first_step(v.curve, "train_accuracy", 0.75) for v in variants[:2]]
    gaps = [v.metrics["train_accuracy"] - v.test_accuracy for v in variants[1:]]
    return Measurements(variants, {
        "steps_tanh": reach[0] or -1, "steps_relu": reach[1] or -1, "steps": run.steps,
        "gap_relu": round(gaps[0], 6), "gap_dropout": round(gaps[1], 6)})


def _judge_relu_dropout(f: dict) -> Verdict:
    tanh, relu = f["steps_tanh"], f["steps_relu"]
    if relu < 0:
        speed, fast = Text("ReLU never reached 25% training error in {steps:g} steps", steps=f["steps"]), False
    elif tanh < 0:
        speed, fast = (Text("ReLU reached 25% training error at step {relu:g}; tanh had not by step {steps:g} (more than "
                            "{speedup:.1f}× faster)", relu=relu, steps=f["steps"], speedup=f["steps"] / relu),
                       f["steps"] / relu >= 2)
    else:
        speed, fast = (Text("ReLU reached 25% training error at step {relu:g}, tanh at step {tanh:g}: {speedup:.1f}× "
                            "faster", relu=relu, tanh=tanh, speedup=tanh / relu), tanh / relu >= 2)
    gap = Text("the train−test accuracy gap is {gap_dropout:.1%} with dropout against {gap_relu:.1%} without",
               gap_dropout=f["gap_dropout"], gap_relu=f["gap_relu"])
    narrower = f["gap_dropout"] < f["gap_relu"]
    words = Text("{speed}; {gap}.", speed=speed, gap=gap)
    if fast and narrower:
        return Verdict(True, Text("Supported: {words}", words=words))
    missing = [Text(p) for p, ok in (("ReLU was not at least 2× faster", fast),
                                     ("dropout did not narrow the gap", narrower)) if not ok]
    missing = missing[0] if len(missing) == 1 else Text("{first} and {second}", first=missing[0], second=missing[1])
    return Verdict(False, Text("Not shown by this run ({missing}): {words}", missing=missing, words=words))


def _batch_norm(s: dict, report: Report) -> Measurements:
    steps, lr, seed, boost = int(s["steps"]), s["lr"], int(s["seed"]), s["boost"]
    data = digits()
    variants = [
        train(Text("plain, lr {lr:g}", lr=lr), False, lambda: mlp(128, 6, nn.ReLU), Run(steps, lr, seed, data), report)[0],
        train(Text("batch norm, lr {lr:g}", lr=lr), True, lambda: mlp(128, 6, nn.ReLU, batch_norm=True),
              Run(steps, lr, seed, data), report)[0],
        train(Text("plain, lr {lr:g}", lr=lr * boost), False, lambda: mlp(128, 6, nn.ReLU), Run(steps, lr * boost, seed, data),
              report)[0],
        train(Text("batch norm, lr {lr:g}", lr=lr * boost), True, lambda: mlp(128, 6, nn.ReLU, batch_norm=True),
              Run(steps, lr * boost, seed, data), report)[0]]
    target = max(p["test_accuracy"] for p in variants[0].curve)
    reach = [first_step(v.curve, "test_accuracy", target) for v in variants]
    return Measurements(variants, {
        "target": target, "steps_plain": reach[0], "steps_bn": min((r for r in (reach[1], reach[3]) if r), default=-1),
        "acc_plain_high": variants[2].test_accuracy, "acc_bn_high": variants[3].test_accuracy, "boost": boost})


def _judge_batch_norm(f: dict) -> Verdict:
    speedup = f["steps_plain"] / f["steps_bn"] if f["steps_bn"] > 0 else 0.0
    reached = (Text("at step {steps:g} with it ({speedup:.1f}× fewer steps)", steps=f["steps_bn"], speedup=speedup)
               if f["steps_bn"] > 0 else Text("never with it"))
    words = Text("the plain network's best test accuracy ({target:.1%}) is first reached at step {steps_plain:g} without "
                 "batch norm and {reached}; at {boost:g}× the learning rate the plain network ends at "
                 "{acc_plain_high:.1%}, the normalized one at {acc_bn_high:.1%}.", target=f["target"],
                 steps_plain=f["steps_plain"], reached=reached, boost=f["boost"], acc_plain_high=f["acc_plain_high"],
                 acc_bn_high=f["acc_bn_high"])
    if speedup > 1 and f["acc_bn_high"] >= f["acc_plain_high"]:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


def _degradation(s: dict, report: Report) -> Measurements:
    deep, shallow = int(s["depth"]), int(s["shallow"])
    run = Run(int(s["steps"]), s["lr"], int(s["seed"]), digits())
    variants = [train(Text("plain, {layers} layers", layers=shallow), False, lambda: stack(shallow), run, report)[0],
                train(Text("plain, {layers} layers", layers=deep), False, lambda: stack(deep), run, report)[0],
                train(Text("residual, {layers} layers", layers=deep), True, lambda: stack(deep, residual=True), run, report)[0]]
    losses = [_loss(v.final_train_loss) for v in variants]
    return Measurements(variants, {"loss_shallow": losses[0], "loss_deep_plain": losses[1], "loss_deep_residual": losses[2],
                                   "shallow": shallow, "deep": deep})


def _judge_degradation(f: dict) -> Verdict:
    shallow, plain, residual = f["loss_shallow"], f["loss_deep_plain"], f["loss_deep_residual"]
    words = Text("final training loss: plain {shallow_layers:g} layers {shallow:.4f}, plain {deep_layers:g} layers "
                 "{plain:.4f}, residual {deep_layers:g} layers {residual:.4f}.", shallow_layers=f["shallow"],
                 shallow=shallow, deep_layers=f["deep"], plain=plain, residual=residual)
    degraded, fixed = plain > shallow, residual <= shallow
    if degraded and fixed:
        return Verdict(True, Text("Supported: the deeper plain network trains worse than the shallower one and the "
                                  "residual one does not — {words}", words=words))
    if not degraded:
        return Verdict(False, Text("Not shown by this run: the deeper plain network did not train worse than the "
                                   "shallower one — {words}", words=words))
    return Verdict(False, Text("Not shown by this run: the deeper plain network trains worse, but the residual one "
                               "did not reach the shallower network's loss — {words}", words=words))


def _label_smoothing(s: dict, report: Report) -> Measurements:
    run = Run(int(s["steps"]), s["lr"], int(s["seed"]), digits(400))
    smoothed = Run(run.steps, run.lr, run.seed, run.data, label_smoothing=s["epsilon"])
    variants, errors = [], []
    for name, with_it, setting in ((Text("one-hot targets"), False, run),
                                   (Text("label smoothing ε={epsilon:g}", epsilon=s["epsilon"]), True, smoothed)):
        variant, model = train(name, with_it, lambda: mlp(256, 2, nn.ReLU), setting, report)
        _, _, probabilities = evaluate(model, run.data.test_x, run.data.test_y)
        variant.metrics["calibration_error"] = round(calibration_error(probabilities, run.data.test_y), 6)
        variant.metrics["mean_confidence"] = round(float(probabilities.max(1).values.mean()), 6)
        variants.append(variant)
        errors.append(variant.metrics["calibration_error"])
    over = [round(v.metrics["mean_confidence"] - v.test_accuracy, 6) for v in variants]
    for v, gap in zip(variants, over):
        v.metrics["over_confidence"] = gap
    return Measurements(variants, {"ece_plain": errors[0], "ece_smoothed": errors[1],
                                   "over_plain": over[0], "over_smoothed": over[1],
                                   "acc_plain": variants[0].test_accuracy, "acc_smoothed": variants[1].test_accuracy})


def _judge_label_smoothing(f: dict) -> Verdict:
    under = Text(" (smoothing made it under-confident)") if f["over_smoothed"] < 0 else ""
    words = Text("on held-out digits, mean confidence minus accuracy is {over_smoothed:+.1%} with label smoothing against "
                 "{over_plain:+.1%} without (test accuracy {acc_smoothed:.1%} vs {acc_plain:.1%}); expected calibration "
                 "error {ece_smoothed:.3f} against {ece_plain:.3f}{under}.", over_smoothed=f["over_smoothed"],
                 over_plain=f["over_plain"], acc_smoothed=f["acc_smoothed"], acc_plain=f["acc_plain"],
                 ece_smoothed=f["ece_smoothed"], ece_plain=f["ece_plain"], under=under)
    if f["over_smoothed"] < f["over_plain"]:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


EXPERIMENTS = (
    Experiment(
        ("lenet", "alexnet"), "ReLU against tanh, and dropout",
        "ReLU trains several times faster than tanh; dropout narrows the gap between training and test accuracy.",
        Paper("a four-layer network with ReLUs reaches 25% training error on CIFAR-10 six times faster than with tanh; "
              "without dropout the network over-fits substantially", "6× faster to 25% training error",
              "Krizhevsky et al. 2012, Sec. 3.1 (Fig. 1) and 4.2"),
        "trained", "steps to 25% training error; train−test gap", _relu_dropout, _judge_relu_dropout,
        (SEED, STEPS, _lr(0.01)),
        caveat="Fully connected networks (4 hidden layers of 128, PyTorch's default initialization, SGD with "
               "momentum 0.9) on 300 training digits, not a convolutional network on CIFAR-10: at this small "
               "scale tanh often keeps up with ReLU, and the verdict then says so."),
    Experiment(
        ("googlenet", "bn-inception"), "The same network with and without batch normalization",
        "Batch normalization reaches the same accuracy in far fewer steps and tolerates a much higher learning rate.",
        Paper("BN-Baseline matches Inception's accuracy in less than half the steps (13.3 M vs 31.0 M); BN-x5, with 5× "
              "the learning rate and the paper's other changes, in 14× fewer", "14× fewer steps (BN alone: 2.3×)",
              "Ioffe & Szegedy 2015, Sec. 4.2, Fig. 2-3"),
        "trained", "steps to the plain network's best accuracy", _batch_norm, _judge_batch_norm,
        (SEED, Setting("steps", "Training steps", 300, 20, 1000), _lr(0.05, 0.5),
         Setting("boost", "Learning-rate boost", 5, 2, 30)),
        caveat="A 6-layer fully connected network on the digits, not Inception on ImageNet; the paper's 14× also "
               "needs its other changes (no dropout, faster decay, less distortion)."),
    Experiment(
        ("vgg", "resnet"), "The degradation problem: deeper plain against shallower plain and deeper residual",
        "A deeper plain network has a higher training loss than a shallower one; the residual version of the deeper "
        "network does not.",
        Paper("the 34-layer plain net has higher training error than the 18-layer plain net throughout training; with "
              "shortcuts, the 34-layer ResNet is better than the 18-layer one", "34-layer plain > 18-layer plain",
              "He et al. 2015, Fig. 1, Fig. 4 and Table 2 (CIFAR-10: Fig. 6)"),
        "trained", "final training loss", _degradation, _judge_degradation,
        (SEED, STEPS, Setting("depth", "Deep network's layers", 32, 10, 60),
         Setting("shallow", "Shallow network's layers", 8, 4, 20), _lr(0.1)),
        caveat="Fully connected stacks of 64 units with batch norm after every layer (as the paper's plain nets "
               "have), on the digits; the training loss is the mean mini-batch loss of the last 5% of steps."),
    Experiment(
        ("bn-inception", "inception-v3"), "Label smoothing and over-confidence",
        "Training against softened targets discourages over-confident predictions.",
        Paper("the one-hot target makes the model too confident; smoothing it with ε = 0.1 (K = 1000) improved top-1 "
              "and top-5 error by about 0.2% absolute", "ε = 0.1, about 0.2% better", "Szegedy et al. 2015, Sec. 7"),
        "trained", "over-confidence (mean confidence − accuracy)", _label_smoothing, _judge_label_smoothing,
        (SEED, STEPS, _lr(0.05), Setting("epsilon", "Smoothing ε", 0.1, 0.0, 0.5, integer=False)),
        caveat="Over-confidence (mean confidence − accuracy on held-out digits) is this experiment's measure; the "
               "paper reports accuracy. Calibration error is shown too: on easy digits smoothing can overshoot "
               "into under-confidence."),
)
