"""The base Transformer of "Attention Is All You Need" (Vaswani et al. 2017, Table 3, base):
d_model 512, 6 encoder and 6 decoder layers, 8 heads, d_ff 2048, dropout 0.1, sinusoidal positions,
one embedding shared by source, target and the output projection (Sec. 3.4), a 37,000-token
vocabulary (WMT 2014 English-German, Sec. 5.1). 63.1 M parameters (Table 3: 65 × 10^6).
It is a sequence model, not an image model: it is here for inspection only.
"""

from __future__ import annotations

import math

import torch
from torch import nn

VOCAB_SIZE = 37_000
D_MODEL = 512
EXAMPLE_SOURCE_LENGTH = 128  # tokens in the source sentence the model is counted with
EXAMPLE_TARGET_LENGTH = 128  # tokens in the target sentence the model is counted with
CAM_LAYER = None  # a sequence model: no image feature map for Grad-CAM
FIDELITY = ("As in the paper (base model, post-layer-norm); torch.nn.Transformer adds one final layer norm "
            "to each stack (2 k parameters). Initialization is not in the paper: Xavier for the layers, "
            "std 1/√d_model for the shared embedding.")


class PositionalEncoding(nn.Module):
    """Fixed sinusoids of Sec. 3.5, added to the scaled embeddings."""

    def __init__(self, d_model: int, max_length: int = 4096) -> None:
        super().__init__()
        position = torch.arange(max_length).unsqueeze(1)
        frequencies = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        table = torch.zeros(max_length, d_model)
        table[:, 0::2] = torch.sin(position * frequencies)
        table[:, 1::2] = torch.cos(position * frequencies)
        self.register_buffer("table", table, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.table[: x.shape[1]]


class TransformerBase(nn.Module):
    """Encoder-decoder with a shared embedding and a tied output projection."""

    def __init__(self, vocab_size: int = VOCAB_SIZE) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, D_MODEL)
        self.positions = PositionalEncoding(D_MODEL)
        self.dropout = nn.Dropout(0.1)
        self.transformer = nn.Transformer(D_MODEL, 8, 6, 6, 2048, 0.1, batch_first=True)
        self.generator = nn.Linear(D_MODEL, vocab_size, bias=False)
        self.generator.weight = self.embedding.weight  # Sec. 3.4: shared weights
        nn.init.normal_(self.embedding.weight, std=D_MODEL ** -0.5)  # unit variance once scaled by √d_model

    def embed(self, tokens: torch.Tensor) -> torch.Tensor:
        """Token embedding × √d_model plus positions, then dropout (Sec. 3.4, 3.5 and 5.4)."""
        return self.dropout(self.positions(self.embedding(tokens) * math.sqrt(D_MODEL)))

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Logits over the vocabulary for each target position, each seeing only earlier targets."""
        mask = nn.Transformer.generate_square_subsequent_mask(target.shape[1], device=target.device)
        hidden = self.transformer(self.embed(source), self.embed(target), tgt_mask=mask, tgt_is_causal=True)
        return self.generator(hidden)


def transformer_base(vocab_size: int = VOCAB_SIZE) -> nn.Module:
    """The base Transformer (about 65 M parameters with the shared embedding counted once)."""
    return TransformerBase(vocab_size)


def example_inputs(batch: int = 1, src_len: int = EXAMPLE_SOURCE_LENGTH, tgt_len: int = EXAMPLE_TARGET_LENGTH,
                   device: str | torch.device = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """(source, target) token batches of zeros: what the model is counted and smoke-tested with."""
    source = torch.zeros(batch, src_len, dtype=torch.long, device=device)
    target = torch.zeros(batch, tgt_len, dtype=torch.long, device=device)
    return source, target
