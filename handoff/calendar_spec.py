"""A programme's mailing calendar (``[calendar]`` in its programme file): when its cycles fall, how early the
run is due, where the host system drops the export, and the contract period of this programme with its vendor."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Calendar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
