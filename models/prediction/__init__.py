"""Prediction: from an uploaded file to top-k labels and a class-activation map.

images (reading uploads safely), checkpoints (loading a user's weights file), preprocessing (the
exact transform each weights option expects), loading (a weights choice turned into a ready model),
inference (top-k), cam (Grad-CAM and friends), digits and samples (LeNet-5's digit path and the
bundled sample images).
"""
