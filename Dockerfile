# syntax=docker/dockerfile:1
# The bot host as a container: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as the non-root
# user "app" (uid 1654, made by the base image), listening on 8080 behind an HTTPS reverse proxy.
#
#   docker build -t shiogama-dx-bot .
#   docker run -d --name shiogama-dx-bot -p 127.0.0.1:8080:8080 -v shiogama-dx-data:/app/data \
#     --env-file /etc/shiogama-dx-bot/env shiogama-dx-bot
#
# Configuration comes only from environment variables (Line__ChannelSecret=…); no secret is baked into the image.
# See docs/operations.md.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Compiled ahead of time (ReadyToRun) for the target's architecture: the host is ready about 1.3 s sooner and
# spends less CPU compiling while its first burst arrives (docs/performance.md). linux-arm64 for ARM hosts.
ARG RID=linux-x64

# Restore first, from the files that decide the packages only, so code changes reuse the cached layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ShiogamaDx.Bot/ShiogamaDx.Bot.csproj src/ShiogamaDx.Bot/
RUN dotnet restore src/ShiogamaDx.Bot/ShiogamaDx.Bot.csproj -r $RID -p:PublishReadyToRun=true

# The project links ../../dialogs and ../../prompts into its output.
COPY src/ src/
COPY dialogs/ dialogs/
COPY prompts/ prompts/
RUN dotnet publish src/ShiogamaDx.Bot/ShiogamaDx.Bot.csproj -c Release -o /app --no-restore -r $RID --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# A Japanese font for what the host draws: the KPI charts in the staff chat (without one, multi-year answers carry
# only their table) and `line richmenu`. IPA Gothic (fonts-ipafont-gothic, about 6 MB) rather than Noto Sans CJK
# (about 100 MB): the charts need one regular face, found at /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf.
# The SQLite database and the generated privacy key live in /app/data: the one writable place, a volume.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-ipafont-gothic \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /app/data && chown app:app /app/data
COPY --from=build /app ./

ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
VOLUME ["/app/data"]
USER app

# The runtime image has no curl or wget: the app asks its own /healthz (exit 0 when it answers 200).
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
    CMD ["dotnet", "ShiogamaDx.Bot.dll", "healthcheck"]

ENTRYPOINT ["dotnet", "ShiogamaDx.Bot.dll"]
