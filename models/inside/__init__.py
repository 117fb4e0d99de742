"""Inside the network: what each layer and channel of a model makes of an image.

Natural stages from the module tree (`stages`), one hooked forward on a private copy of the
shared model (`capture`, `maps`), the first layer's filters, the digits that excite a channel,
and transformer attention. For notebooks: `layer_activations(model_id, image, layer)`.
"""

from models.inside.maps import layer_activations

__all__ = ["layer_activations"]
