# Felles, built from this repository. The runtime image holds only the static
# binary; its health check is the binary itself (felles healthcheck).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/felles ./cmd/felles

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/felles /usr/local/bin/felles
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/felles"]
CMD ["serve", "--data", "/data", "--addr", "0.0.0.0:8080"]
