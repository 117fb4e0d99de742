"""Inside the network: what each layer and channel of a model makes of an image.

Natural stages from the module tree (`stages`), one hooked forward on a private copy of the
shared model (`capture`, `maps`), the first layer's filters, the digits or the images of a set
that excite a channel (`exciting`, `image_set`), transformer attention (`attention`, Swin's windows in
`swin_windows`) and the clickable channel grid (`grid_figure`). For notebooks:
`layer_activations(model_id, image, layer)`.
"""

from models.inside.maps import layer_activations

__all__ = ["layer_activations"]
